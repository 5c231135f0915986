package dev.concierge.search.indexing.internal;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.search.embedding.QueryEmbedder;
import dev.concierge.search.language.TextSearchConfigs;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
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

    /**
     * Replaces every chunk of the page atomically and records the page, unless the page was removed after
     * the event's chunks were embedded. Returns the time of that removal when the event was dropped for it,
     * empty when the page was indexed.
     * <p>
     * The rule treats the page's fetch time ({@code scraped_at}, or {@code embedded_at} for events from
     * before v1 carried it) as the page's version: chunks-embedded and page-removed are
     * different topics, so their order of arrival says nothing. A chunks-embedded event embedded before the
     * removal (re-delivered, or delayed by consumer lag or a rebalance) describes a version the removal
     * supersedes and is dropped. One embedded after the removal is the page come back: the scraper
     * publishes a removal only once a crawl no longer finds the page (or it answers 404/410), and a later
     * crawl that finds it again publishes it afresh, so it is embedded after the removal; it is indexed
     * and the tombstone goes. Comparing the fetch time (not the embed time) also drops a page fetched
     * before the removal but embedded after it (an embedding backlog longer than the time to the next
     * crawl's removal). Timestamps come
     * from two services' clocks; skew of seconds matters only for a removal and an embedding seconds apart.
     */
    public Mono<Optional<Instant>> replacePage(ChunksEmbedded e) {
        Mono<Optional<Instant>> work = lockPage(e.tenantId(), e.url())
                .then(removedAt(e.tenantId(), e.url()))
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(removed -> {
                    Instant version = e.scrapedAt() != null ? e.scrapedAt() : e.embeddedAt();
                    if (removed.isPresent() && (version == null || !version.isAfter(removed.get()))) {
                        return Mono.just(removed);
                    }
                    return writePage(e).thenReturn(Optional.<Instant>empty());
                });
        return tx.transactional(work);
    }

    private Mono<Void> writePage(ChunksEmbedded e) {
        return deleteTombstone(e.tenantId(), e.url())
                .then(deleteChunks(e.tenantId(), e.url()))
                // all chunks in one statement: one round trip per page instead of one per chunk
                .then(db.sql("""
                                insert into chunks (tenant_id, url, chunk_index, title, heading, content, content_hash, model,
                                                    embedding, ts_config)
                                select :tenant, :url, idx, :title, heading, content, :hash, :model,
                                       cast(embedding as vector), cast(:tsConfig as regconfig)
                                  from unnest(cast(:indexes as int[]), cast(:headings as text[]), cast(:contents as text[]),
                                              cast(:embeddings as text[])) as c(idx, heading, content, embedding)
                                """)
                        .bind("tenant", e.tenantId()).bind("url", e.url())
                        .bind("title", e.title() == null ? "" : e.title())
                        .bind("hash", e.contentHash()).bind("model", e.model())
                        .bind("tsConfig", TextSearchConfigs.forLanguage(e.language()))
                        .bind("indexes", e.chunks().stream().map(ChunksEmbedded.Chunk::index).toArray(Integer[]::new))
                        .bind("headings", e.chunks().stream().map(c -> c.heading() == null ? "" : c.heading()).toArray(String[]::new))
                        .bind("contents", e.chunks().stream().map(ChunksEmbedded.Chunk::text).toArray(String[]::new))
                        .bind("embeddings", e.chunks().stream().map(c -> QueryEmbedder.literal(c.vector())).toArray(String[]::new))
                        .fetch().rowsUpdated())
                .then(db.sql("""
                                insert into pages (tenant_id, url, title, content_hash, model, chunk_count, job_id, indexed_at,
                                                   embedded_at, language)
                                values (:tenant, :url, :title, :hash, :model, :count, :job, now(), :embeddedAt, :language)
                                on conflict (tenant_id, url) do update set title = excluded.title,
                                    content_hash = excluded.content_hash, model = excluded.model,
                                    chunk_count = excluded.chunk_count, job_id = excluded.job_id, indexed_at = now(),
                                    embedded_at = excluded.embedded_at, language = excluded.language
                                """)
                        .bind("tenant", e.tenantId()).bind("url", e.url())
                        .bind("title", e.title() == null ? "" : e.title()).bind("hash", e.contentHash())
                        .bind("model", e.model()).bind("count", e.chunks().size()).bind("job", e.jobId())
                        .bind("language", Parameter.fromOrEmpty(e.language(), String.class))
                        // pages.embedded_at holds the page's version: its fetch time when the event carries it
                        .bind("embeddedAt", Parameter.fromOrEmpty(e.scrapedAt() != null ? e.scrapedAt() : e.embeddedAt(), Instant.class))
                        .fetch().rowsUpdated())
                .then();
    }

    public Mono<Void> removePage(String tenantId, String url) {
        return tx.transactional(deleteChunks(tenantId, url)
                .then(db.sql("delete from pages where tenant_id = :tenant and url = :url")
                        .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated())
                .then());
    }

    /**
     * scrape.page-removed.v1: drops the page and its chunks and leaves a tombstone ({@code removedAt}) that
     * keeps chunks embedded before the removal out (see {@link #replacePage}), all in one transaction.
     * A removal older than the embedding of the version the index holds is stale and changes nothing;
     * returns whether the removal was applied.
     */
    public Mono<Boolean> removePage(String tenantId, String url, Instant removedAt) {
        Mono<Boolean> work = lockPage(tenantId, url)
                .then(db.sql("""
                                select 1 from pages
                                 where tenant_id = :tenant and url = :url and embedded_at > :removedAt
                                """)
                        .bind("tenant", tenantId).bind("url", url).bind("removedAt", removedAt)
                        .map((row, meta) -> Boolean.TRUE).first().hasElement())
                .flatMap(newer -> newer ? Mono.just(false) : deleteChunks(tenantId, url)
                        .then(db.sql("delete from pages where tenant_id = :tenant and url = :url")
                                .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated())
                        .then(db.sql("""
                                        insert into removed_pages (tenant_id, url, removed_at) values (:tenant, :url, :removedAt)
                                        on conflict (tenant_id, url) do update
                                           set removed_at = greatest(removed_pages.removed_at, excluded.removed_at)
                                        """)
                                .bind("tenant", tenantId).bind("url", url).bind("removedAt", removedAt)
                                .fetch().rowsUpdated())
                        .thenReturn(true));
        return tx.transactional(work);
    }

    /**
     * Serialises the writes of one page (indexing, removal), which arrive on different topics and so on
     * different listener threads: taken first in each such transaction, held until it ends.
     */
    private Mono<Void> lockPage(String tenantId, String url) {
        return db.sql("select pg_advisory_xact_lock(hashtextextended(cast(:tenant as text) || chr(10) || cast(:url as text), 0))")
                .bind("tenant", tenantId).bind("url", url)
                .map((row, meta) -> Boolean.TRUE).first().then();
    }

    private Mono<Instant> removedAt(String tenantId, String url) {
        return db.sql("select removed_at from removed_pages where tenant_id = :tenant and url = :url")
                .bind("tenant", tenantId).bind("url", url)
                .map(row -> row.get("removed_at", OffsetDateTime.class).toInstant()).first();
    }

    private Mono<Void> deleteTombstone(String tenantId, String url) {
        return db.sql("delete from removed_pages where tenant_id = :tenant and url = :url")
                .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated().then();
    }

    private Mono<Void> deleteChunks(String tenantId, String url) {
        return db.sql("delete from chunks where tenant_id = :tenant and url = :url")
                .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated().then();
    }
}
