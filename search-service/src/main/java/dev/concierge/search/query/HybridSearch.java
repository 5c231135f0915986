package dev.concierge.search.query;

import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.search.config.SearchProperties;
import dev.concierge.search.embedding.QueryEmbedder;
import dev.concierge.search.language.TextSearchConfigs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Vector search (pgvector HNSW, cosine, with an explicit {@code ef_search} and iterative scans so a small
 * tenant among large ones still gets its full candidate list) and Postgres full-text search, fused by
 * reciprocal rank fusion. Only the calling tenant's chunks are searched, and a query vector is compared only
 * with chunks of the model that embedded it (during a model switch the tenant has pages of two models, and
 * each is searched with its own query vector); full-text search parses the query with the text search
 * configuration of each language the tenant's pages are in.
 */
@Service
public class HybridSearch {

    static final String VECTOR = "vector";
    static final String FULL_TEXT = "full_text";

    private static final Logger log = LoggerFactory.getLogger(HybridSearch.class);

    private final Set<String> warnedModels = ConcurrentHashMap.newKeySet();
    private final DatabaseClient db;
    private final QueryEmbedder embedder;
    private final SearchProperties props;

    private final Timer embeddingTimer;
    private final Timer databaseTimer;

    public HybridSearch(DatabaseClient db, QueryEmbedder embedder, SearchProperties props, MeterRegistry meters) {
        this.db = db;
        this.embedder = embedder;
        this.props = props;
        this.embeddingTimer = Timer.builder("concierge.search.embedding").description("embedding a search query (cache hits included)")
                .register(meters);
        this.databaseTimer = Timer.builder("concierge.search.database").description("the vector and full-text queries of a search")
                .register(meters);
    }

    private static <T> Mono<T> timed(Timer timer, Mono<T> work) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return work.doFinally(signal -> timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
        });
    }

    /** Which retrievers take part: both (fused), or one alone (for comparison and diagnosis). */
    public enum Mode { HYBRID, VECTOR, FULL_TEXT }

    /**
     * @param byPage true: at most one hit per page (its best passage); false: every matching passage
     */
    public Mono<List<SearchHit>> search(String tenantId, String query, int limit, double minScore, boolean byPage, Mode mode) {
        return profile(tenantId).flatMap(profile -> Flux.fromIterable(profile.models)
                .filter(model -> searchable(model))
                .concatMap(model -> timed(embeddingTimer, embedder.embed(model, query)).flatMap(vector -> {
                    String literal = QueryEmbedder.literal(vector);
                    Mono<List<Row>> vectorHits = mode == Mode.FULL_TEXT ? Mono.just(List.of())
                            : vectorHits(tenantId, model, literal, profile.chunks(model)).collectList();
                    Mono<List<Row>> textHits = mode == Mode.VECTOR ? Mono.just(List.of())
                            : textHits(tenantId, model, query, literal, profile.textConfigs).collectList();
                    return timed(databaseTimer, Mono.zip(vectorHits, textHits));
                }))
                .collectList()
                .map(perModel -> {
                    List<List<Row>> vectorLists = perModel.stream().map(t -> t.getT1()).toList();
                    // full-text ranks are comparable across models (the same tsvector): one list, by rank
                    List<Row> textHits = perModel.stream().flatMap(t -> t.getT2().stream())
                            .sorted(Comparator.comparingDouble(Row::textRank).reversed()).toList();
                    return fuse(vectorLists, textHits, limit, minScore, byPage);
                }))
                .defaultIfEmpty(List.of());
    }

    public Mono<IndexStats> stats(String tenantId, String domain) {
        return db.sql("""
                        select p.model, count(*) as pages, sum(p.chunk_count) as chunks, max(p.indexed_at) as last_indexed_at
                          from pages p where p.tenant_id = :t group by p.model order by count(*) desc, p.model
                        """)
                .bind("t", tenantId)
                .map(r -> {
                    String name = r.get("model", String.class);
                    Number chunks = r.get("chunks", Number.class);
                    return new IndexStats.ModelStats(name, EmbeddingModelId.byName(name).map(EmbeddingModelId::dimension).orElse(null),
                            r.get("pages", Long.class), chunks == null ? 0 : chunks.longValue(),
                            r.get("last_indexed_at", java.time.OffsetDateTime.class));
                })
                .all().collectList()
                .map(models -> IndexStats.of(domain, models, embedder.configured()));
    }

    /** Which models' vectors and which text search configurations the tenant's index holds. */
    private Mono<Profile> profile(String tenantId) {
        return db.sql("select model, language, sum(chunk_count) as chunks from pages where tenant_id = :t group by model, language")
                .bind("t", tenantId)
                .map(r -> new Object[] {r.get("model", String.class), r.get("language", String.class), r.get("chunks", Number.class)})
                .all().collectList()
                .filter(rows -> !rows.isEmpty())
                .map(rows -> {
                    Set<EmbeddingModelId> models = new LinkedHashSet<>();
                    Set<String> configs = new TreeSet<>();
                    Map<EmbeddingModelId, Long> chunks = new HashMap<>();
                    for (Object[] row : rows) {
                        EmbeddingModelId.byName((String) row[0]).ifPresent(model -> {
                            models.add(model);
                            chunks.merge(model, row[2] == null ? 0L : ((Number) row[2]).longValue(), Long::sum);
                        });
                        configs.add(TextSearchConfigs.forLanguage((String) row[1]));
                    }
                    return new Profile(List.copyOf(models), List.copyOf(configs), Map.copyOf(chunks));
                });
    }

    private boolean searchable(EmbeddingModelId model) {
        if (embedder.canEmbed(model)) {
            return true;
        }
        if (warnedModels.add(model.name())) {
            log.warn("pages embedded with {} are not searched: this search-service cannot embed queries with it "
                    + "(OPENAI_API_KEY not set here?)", model.name());
        }
        return false;
    }

    /** The vector of a chunk of {@code model}, cast to the model's dimension as its partial HNSW index is built. */
    private static String vectorOf(EmbeddingModelId model) {
        return "(embedding::vector(" + model.dimension() + "))";
    }

    /** The model's name as a SQL literal: a catalogue name, checked, so the planner can match the partial index. */
    private static String modelLiteral(EmbeddingModelId model) {
        if (!model.name().matches("[a-z0-9.-]+")) {
            throw new IllegalStateException("unexpected model name " + model.name());
        }
        return "'" + model.name() + "'";
    }

    /** The half-precision copy of a chunk's vector that the model's partial HNSW index is built on. */
    private static String halfvecOf(EmbeddingModelId model) {
        return "(embedding::halfvec(" + model.dimension() + "))";
    }

    /**
     * The tenant's nearest chunks of {@code model}. A tenant with at most {@code exactMaxChunks} chunks of the
     * model is searched exactly: ordered by the full-precision distance, which no index serves, so PostgreSQL
     * reads the tenant's rows through its btree and compares every one (a few ms, recall 1). A larger tenant is
     * ordered by the half-precision distance its HNSW index serves, with {@code ef_search} (longer for a large
     * tenant) and iterative scans (so a tenant filter never leaves it short of results). Either way the score is
     * the full-precision cosine.
     */
    private Flux<Row> vectorHits(String tenantId, EmbeddingModelId model, String vector, long chunks) {
        // One round trip for the session settings of this query (simple protocol allows several statements).
        String settings = "set hnsw.ef_search = " + props.efSearchFor(chunks) + "; set hnsw.iterative_scan = relaxed_order";
        String exact = vectorOf(model) + " <=> cast($1 as vector(" + model.dimension() + "))";
        String order = chunks <= props.exactMaxChunks() ? exact
                : halfvecOf(model) + " <=> cast($1 as halfvec(" + model.dimension() + "))";
        String sql = """
                select * from (
                    select url, title, heading, content, chunk_index, 1 - (%1$s) as similarity, 0.0 as text_rank
                    from chunks where tenant_id = $2 and model = %2$s
                    order by %3$s limit $3) hits
                order by similarity desc
                """.formatted(exact, modelLiteral(model), order);
        return db.inConnectionMany(connection -> Flux.from(connection.createStatement(settings).execute())
                .flatMap(r -> r.getRowsUpdated())
                .thenMany(Flux.from(connection.createStatement(sql)
                        .bind("$1", vector).bind("$2", tenantId).bind("$3", props.candidates())
                        .execute()))
                .flatMap(result -> result.map(HybridSearch::row)));
    }

    private Flux<Row> textHits(String tenantId, EmbeddingModelId model, String query, String vector, List<String> configs) {
        // Any query word may match (OR), ranked by cover density; plainto_tsquery strips operators safely. The
        // query's language is unknown, so it is parsed with each configuration the tenant's pages use.
        String tsquery = configs.stream()
                .map(c -> "nullif(replace(plainto_tsquery('" + c + "', :q)::text, '&', '|'), '')")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        String sql = """
                select url, title, heading, content, chunk_index,
                       1 - (%1$s <=> cast(:vector as vector(%2$d))) as similarity, ts_rank_cd(tsv, q) as text_rank
                from chunks, cast(concat_ws(' | ', %3$s) as tsquery) q
                where tenant_id = :tenant and model = %4$s and tsv @@ q
                order by text_rank desc limit :limit
                """.formatted(vectorOf(model), model.dimension(), tsquery, modelLiteral(model));
        return db.sql(sql)
                .bind("vector", vector).bind("q", query).bind("tenant", tenantId).bind("limit", props.candidates())
                .map(HybridSearch::row).all();
    }

    /**
     * Reciprocal rank fusion, weighted per retriever. With {@code byPage} the unit ranked is the page: each
     * retriever's list is first reduced to its pages in order of their best passage, so a page gets a
     * retriever's credit once however many of its passages matched, and it is shown with the passage most
     * similar to the query.
     */
    private List<SearchHit> fuse(List<List<Row>> vectorLists, List<Row> textHits, int limit, double minScore, boolean byPage) {
        Map<String, Fused> fused = new LinkedHashMap<>();
        // one vector list per model (a page is in one model's list): their similarities are not comparable,
        // their ranks are
        for (List<Row> vectorHits : vectorLists) {
            accumulate(fused, byPage ? firstPerPage(vectorHits) : vectorHits, VECTOR, props.vectorWeight(), byPage);
        }
        accumulate(fused, byPage ? firstPerPage(textHits) : textHits, FULL_TEXT, props.fullTextWeight(), byPage);
        if (byPage) {
            for (Row row : vectorLists.stream().flatMap(List::stream).toList()) { // each page with its passage closest to the query
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
        Number textRank = r.get("text_rank", Number.class);
        return new Row(r.get("url", String.class), r.get("title", String.class), r.get("heading", String.class),
                r.get("content", String.class), r.get("chunk_index", Integer.class),
                similarity == null ? 0 : similarity.doubleValue(), textRank == null ? 0 : textRank.doubleValue());
    }

    private record Row(String url, String title, String heading, String content, int chunkIndex, double similarity,
                       double textRank) {
    }

    /** The models and text configurations of a tenant's index, and its chunks per model. */
    private record Profile(List<EmbeddingModelId> models, List<String> textConfigs, Map<EmbeddingModelId, Long> chunkCounts) {

        long chunks(EmbeddingModelId model) {
            return chunkCounts.getOrDefault(model, 0L);
        }
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
