package dev.concierge.search.query;

import dev.concierge.search.config.SearchProperties;
import dev.concierge.search.embedding.QueryEmbedder;
import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Vector search (pgvector HNSW, cosine, with an explicit {@code ef_search} and iterative scans so a small
 * tenant among large ones still gets its full candidate list) and Postgres full-text search, fused by
 * reciprocal rank fusion. Only the calling tenant's chunks of the index's model are ever compared.
 */
@Service
public class HybridSearch {

    static final String VECTOR = "vector";
    static final String FULL_TEXT = "full_text";

    private final DatabaseClient db;
    private final QueryEmbedder embedder;
    private final SearchProperties props;

    public HybridSearch(DatabaseClient db, QueryEmbedder embedder, SearchProperties props) {
        this.db = db;
        this.embedder = embedder;
        this.props = props;
    }

    /** Which retrievers take part: both (fused), or one alone (for comparison and diagnosis). */
    public enum Mode { HYBRID, VECTOR, FULL_TEXT }

    /**
     * @param byPage true: at most one hit per page (its best passage); false: every matching passage
     */
    public Mono<List<SearchHit>> search(String tenantId, String query, int limit, double minScore, boolean byPage, Mode mode) {
        return embedder.embed(query).flatMap(vector -> {
            String literal = QueryEmbedder.literal(vector);
            Mono<List<Row>> vectorHits = mode == Mode.FULL_TEXT ? Mono.just(List.of()) : vectorHits(tenantId, literal).collectList();
            Mono<List<Row>> textHits = mode == Mode.VECTOR ? Mono.just(List.of()) : textHits(tenantId, query, literal).collectList();
            return Mono.zip(vectorHits, textHits).map(t -> fuse(t.getT1(), t.getT2(), limit, minScore, byPage));
        });
    }

    public Mono<IndexStats> stats(String tenantId, String domain) {
        return db.sql("""
                        select (select count(*) from pages where tenant_id = :t) as pages,
                               (select count(*) from chunks where tenant_id = :t) as chunks,
                               (select max(indexed_at) from pages where tenant_id = :t) as last_indexed_at
                        """)
                .bind("t", tenantId)
                .map(r -> {
                    long pages = r.get("pages", Long.class);
                    return new IndexStats(domain, pages, r.get("chunks", Long.class),
                            pages > 0 ? QueryEmbedder.MODEL : null, pages > 0 ? QueryEmbedder.DIMENSION : null,
                            r.get("last_indexed_at", java.time.OffsetDateTime.class));
                })
                .one();
    }

    private Flux<Row> vectorHits(String tenantId, String vector) {
        // One round trip for the session settings of this query (simple protocol allows several statements).
        String settings = "set hnsw.ef_search = " + props.efSearch() + "; set hnsw.iterative_scan = relaxed_order";
        return db.inConnectionMany(connection -> Flux.from(connection.createStatement(settings).execute())
                .flatMap(r -> r.getRowsUpdated())
                .thenMany(Flux.from(connection.createStatement("""
                                select * from (
                                    select url, title, heading, content, chunk_index, 1 - (embedding <=> cast($1 as vector)) as similarity
                                    from chunks where tenant_id = $2 and model = $3
                                    order by embedding <=> cast($1 as vector) limit $4) hits
                                order by similarity desc
                                """)
                        .bind("$1", vector).bind("$2", tenantId).bind("$3", QueryEmbedder.MODEL).bind("$4", props.candidates())
                        .execute()))
                .flatMap(result -> result.map(HybridSearch::row)));
    }

    private Flux<Row> textHits(String tenantId, String query, String vector) {
        // Any query word may match (OR), ranked by cover density; plainto_tsquery strips operators safely.
        return db.sql("""
                        select url, title, heading, content, chunk_index, 1 - (embedding <=> cast(:vector as vector)) as similarity
                        from chunks, cast(replace(plainto_tsquery('english', :q)::text, '&', '|') as tsquery) q
                        where tenant_id = :tenant and model = :model and tsv @@ q
                        order by ts_rank_cd(tsv, q) desc limit :limit
                        """)
                .bind("vector", vector).bind("q", query).bind("tenant", tenantId)
                .bind("model", QueryEmbedder.MODEL).bind("limit", props.candidates())
                .map(HybridSearch::row).all();
    }

    /**
     * Reciprocal rank fusion, weighted per retriever. With {@code byPage} the unit ranked is the page: each
     * retriever's list is first reduced to its pages in order of their best passage, so a page gets a
     * retriever's credit once however many of its passages matched, and it is shown with the passage most
     * similar to the query.
     */
    private List<SearchHit> fuse(List<Row> vectorHits, List<Row> textHits, int limit, double minScore, boolean byPage) {
        Map<String, Fused> fused = new LinkedHashMap<>();
        accumulate(fused, byPage ? firstPerPage(vectorHits) : vectorHits, VECTOR, props.vectorWeight(), byPage);
        accumulate(fused, byPage ? firstPerPage(textHits) : textHits, FULL_TEXT, props.fullTextWeight(), byPage);
        if (byPage) {
            for (Row row : vectorHits) { // show each page with its passage closest to the query
                Fused f = fused.get(row.url);
                if (f != null && row.similarity > f.row.similarity) {
                    f.row = row;
                }
            }
        }
        List<Fused> ranked = new ArrayList<>(fused.values());
        ranked.sort(Comparator.comparingDouble((Fused f) -> f.rrf).reversed()
                .thenComparing(Comparator.comparingDouble((Fused f) -> f.row.similarity).reversed()));
        List<SearchHit> hits = new ArrayList<>();
        for (Fused f : ranked) {
            if (f.row.similarity < minScore) {
                continue;
            }
            hits.add(f.toHit());
            if (hits.size() == limit) {
                break;
            }
        }
        return hits;
    }

    private static List<Row> firstPerPage(List<Row> rows) {
        Set<String> seen = new LinkedHashSet<>();
        return rows.stream().filter(r -> seen.add(r.url)).toList();
    }

    private void accumulate(Map<String, Fused> fused, List<Row> rows, String retriever, double weight, boolean byPage) {
        for (int rank = 0; rank < rows.size(); rank++) {
            Row row = rows.get(rank);
            Fused f = fused.computeIfAbsent(byPage ? row.url : row.url + "#" + row.chunkIndex, k -> new Fused(row));
            f.rrf += weight / (props.rrfK() + rank + 1);
            f.retrievers.add(retriever);
        }
    }

    private static Row row(Readable r) {
        Number similarity = r.get("similarity", Number.class);
        return new Row(r.get("url", String.class), r.get("title", String.class), r.get("heading", String.class),
                r.get("content", String.class), r.get("chunk_index", Integer.class),
                similarity == null ? 0 : similarity.doubleValue());
    }

    private record Row(String url, String title, String heading, String content, int chunkIndex, double similarity) {
    }

    private static final class Fused {
        Row row;
        final List<String> retrievers = new ArrayList<>(2);
        double rrf;

        Fused(Row row) {
            this.row = row;
        }

        SearchHit toHit() {
            double score = Math.round(row.similarity * 10_000) / 10_000.0;
            return new SearchHit(row.url, row.title, row.heading, Snippets.of(row.content), row.content, row.chunkIndex,
                    score, List.copyOf(retrievers));
        }
    }
}
