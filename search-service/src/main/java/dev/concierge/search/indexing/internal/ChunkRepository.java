package dev.concierge.search.indexing.internal;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.search.embedding.QueryEmbedder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ChunkRepository {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public ChunkRepository(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** Replaces every chunk of the page atomically and records the page. */
    public Mono<Void> replacePage(ChunksEmbedded e) {
        Mono<Void> work = deleteChunks(e.tenantId(), e.url())
                .thenMany(Flux.fromIterable(e.chunks()).concatMap(c -> db.sql("""
                                insert into chunks (tenant_id, url, chunk_index, title, heading, content, content_hash, model, embedding)
                                values (:tenant, :url, :idx, :title, :heading, :content, :hash, :model, cast(:embedding as vector))
                                """)
                        .bind("tenant", e.tenantId()).bind("url", e.url()).bind("idx", c.index())
                        .bind("title", e.title() == null ? "" : e.title())
                        .bind("heading", c.heading() == null ? "" : c.heading())
                        .bind("content", c.text()).bind("hash", e.contentHash()).bind("model", e.model())
                        .bind("embedding", QueryEmbedder.literal(c.vector()))
                        .fetch().rowsUpdated()))
                .then(db.sql("""
                                insert into pages (tenant_id, url, title, content_hash, model, chunk_count, job_id, indexed_at)
                                values (:tenant, :url, :title, :hash, :model, :count, :job, now())
                                on conflict (tenant_id, url) do update set title = excluded.title,
                                    content_hash = excluded.content_hash, model = excluded.model,
                                    chunk_count = excluded.chunk_count, job_id = excluded.job_id, indexed_at = now()
                                """)
                        .bind("tenant", e.tenantId()).bind("url", e.url())
                        .bind("title", e.title() == null ? "" : e.title()).bind("hash", e.contentHash())
                        .bind("model", e.model()).bind("count", e.chunks().size()).bind("job", e.jobId())
                        .fetch().rowsUpdated())
                .then();
        return tx.transactional(work);
    }

    public Mono<Void> removePage(String tenantId, String url) {
        return tx.transactional(deleteChunks(tenantId, url)
                .then(db.sql("delete from pages where tenant_id = :tenant and url = :url")
                        .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated())
                .then());
    }

    private Mono<Void> deleteChunks(String tenantId, String url) {
        return db.sql("delete from chunks where tenant_id = :tenant and url = :url")
                .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated().then();
    }
}
