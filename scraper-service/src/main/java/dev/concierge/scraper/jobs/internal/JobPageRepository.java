package dev.concierge.scraper.jobs.internal;

import dev.concierge.scraper.crawling.FetchedPage;
import dev.concierge.scraper.crawling.KnownPage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import dev.concierge.contracts.EmbeddingModelId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code pages} (a tenant's latest fetched pages) and {@code job_pages} (each job's pages and their
 * state: scraped → embedded → indexed | failed; or removed, skipped). Outcome updates never leave a final state
 * (indexed/failed), so re-delivered or late events change nothing.
 */
@Repository
public class JobPageRepository {

    public static final String INDEXED = "indexed";
    public static final String FAILED = "failed";
    public static final String REMOVED = "removed";
    public static final String SKIPPED = "skipped";

    private final DatabaseClient db;

    private final String embeddingModel;

    /** @param embeddingModel the configured embedding model ({@code EMBEDDING_MODEL}), from the catalogue */
    public JobPageRepository(DatabaseClient db, @Value("${concierge.embedding.model}") String embeddingModel) {
        this.db = db;
        this.embeddingModel = EmbeddingModelId.require(embeddingModel).name();
    }

    /** Adds a fetched page to the job; false when the job already has that URL (two links, one canonical URL). */
    public Mono<Boolean> insertScraped(UUID jobId, String url, String contentHash) {
        return db.sql("""
                        INSERT INTO job_pages (job_id, url, content_hash, state) VALUES (:job, :url, :hash, 'scraped')
                        ON CONFLICT (job_id, url) DO NOTHING
                        """)
                .bind("job", jobId).bind("url", url).bind("hash", contentHash)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** A URL of the job that could not be fetched. Also fails a page that got stuck half-way as scraped. */
    public Mono<Void> insertFailed(UUID jobId, String url, String error) {
        return db.sql("""
                        INSERT INTO job_pages (job_id, url, state, error) VALUES (:job, :url, 'failed', :error)
                        ON CONFLICT (job_id, url) DO UPDATE SET state = 'failed', error = EXCLUDED.error, updated_at = now()
                         WHERE job_pages.state = 'scraped'
                        """)
                .bind("job", jobId).bind("url", url).bind("error", error).then();
    }

    /**
     * Stores the page's latest version and returns the hash that was last indexed for it, if any, with the
     * configured embedding model (a page embedded with another model counts as not indexed).
     */
    public Mono<Optional<String>> upsertPage(String tenantId, FetchedPage page, String contentHash) {
        return db.sql("""
                        INSERT INTO pages (tenant_id, url, title, text, content_hash, fetched_at, fetched_url, etag,
                                           last_modified, links)
                        VALUES (:tenant, :url, :title, :text, :hash, :fetchedAt, :fetchedUrl, :etag, :lastModified,
                                :links)
                        ON CONFLICT (tenant_id, url) DO UPDATE
                           SET title = EXCLUDED.title, text = EXCLUDED.text,
                               content_hash = EXCLUDED.content_hash, fetched_at = EXCLUDED.fetched_at,
                               fetched_url = EXCLUDED.fetched_url, etag = EXCLUDED.etag,
                               last_modified = EXCLUDED.last_modified, links = EXCLUDED.links
                        RETURNING CASE WHEN embedded_model IS NULL OR embedded_model = :model THEN indexed_hash END
                                  AS indexed_hash
                        """)
                .bind("model", embeddingModel)
                .bind("tenant", tenantId).bind("url", page.url()).bind("title", page.title()).bind("text", page.text())
                .bind("hash", contentHash).bind("fetchedAt", page.fetchedAt())
                .bind("fetchedUrl", page.fetchedUrl())
                .bind("etag", Parameter.fromOrEmpty(page.etag(), String.class))
                .bind("lastModified", Parameter.fromOrEmpty(page.lastModified(), String.class))
                .bind("links", page.links().toArray(String[]::new))
                .map(row -> Optional.ofNullable(row.get("indexed_hash", String.class))).one();
    }

    /** Every stored page of the tenant, as a crawl needs to know it (revalidation only when not forced). */
    public Flux<KnownPage> knownPages(String tenantId, boolean revalidate) {
        return db.sql("""
                        SELECT url, fetched_url, content_hash, etag, last_modified, links,
                               indexed_hash IS NOT DISTINCT FROM content_hash
                               AND (embedded_model IS NULL OR embedded_model = :model) AS indexed
                          FROM pages WHERE tenant_id = :tenant
                        """)
                .bind("tenant", tenantId).bind("model", embeddingModel)
                .map(row -> {
                    String[] links = row.get("links", String[].class);
                    return new KnownPage(row.get("url", String.class), row.get("fetched_url", String.class),
                            row.get("content_hash", String.class), row.get("etag", String.class),
                            row.get("last_modified", String.class), links == null ? null : List.of(links),
                            revalidate && Boolean.TRUE.equals(row.get("indexed", Boolean.class)));
                })
                .all();
    }

    /** The stored (canonical) URL of the tenant's page stored under, or fetched from, {@code url}. */
    public Mono<String> findStoredUrl(String tenantId, String url) {
        return db.sql("""
                        SELECT url FROM pages WHERE tenant_id = :tenant AND (url = :url OR fetched_url = :url)
                         ORDER BY (url = :url) DESC LIMIT 1
                        """)
                .bind("tenant", tenantId).bind("url", url)
                .map(row -> row.get("url", String.class)).first();
    }

    /** Drops the tenant's page from the store; true when there was one. */
    public Mono<Boolean> deletePage(String tenantId, String url) {
        return db.sql("DELETE FROM pages WHERE tenant_id = :tenant AND url = :url")
                .bind("tenant", tenantId).bind("url", url).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** An unchanged page (304): part of the job and indexed at once; false when the job already has it. */
    public Mono<Boolean> insertUnchanged(UUID jobId, String url, String contentHash) {
        return db.sql("""
                        INSERT INTO job_pages (job_id, url, content_hash, state) VALUES (:job, :url, :hash, 'indexed')
                        ON CONFLICT (job_id, url) DO NOTHING
                        """)
                .bind("job", jobId).bind("url", url).bind("hash", contentHash)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** A stored page the job removed ({@code reason}: gone or unlinked); replaces a failed row of the URL. */
    public Mono<Void> insertRemoved(UUID jobId, String url, String reason) {
        return db.sql("""
                        INSERT INTO job_pages (job_id, url, state, error) VALUES (:job, :url, 'removed', :reason)
                        ON CONFLICT (job_id, url) DO UPDATE SET state = 'removed', error = EXCLUDED.error,
                               updated_at = now()
                         WHERE job_pages.state = 'failed'
                        """)
                .bind("job", jobId).bind("url", url).bind("reason", reason).then();
    }

    /** A URL fetched but not processed, and why. */
    public Mono<Void> insertSkipped(UUID jobId, String url, String reason) {
        return db.sql("""
                        INSERT INTO job_pages (job_id, url, state, error) VALUES (:job, :url, 'skipped', :reason)
                        ON CONFLICT (job_id, url) DO NOTHING
                        """)
                .bind("job", jobId).bind("url", url).bind("reason", reason).then();
    }

    /** scraped → indexed or failed, decided by the scraper itself (unchanged page, no text, publish failed). */
    public Mono<Void> settle(UUID jobId, String url, String state, String error) {
        return db.sql("""
                        UPDATE job_pages SET state = :state, error = :error, updated_at = now()
                         WHERE job_id = :job AND url = :url AND state = 'scraped'
                        """)
                .bind("job", jobId).bind("url", url).bind("state", state).bind("error", errorOrNull(error))
                .then();
    }

    /**
     * embed.chunks-embedded.v1: the page was embedded (scraped → embedded; recorded even when its index
     * outcome came first), or, with an {@code error}, failed. Returns whether the job has such a page.
     */
    public Mono<Boolean> markEmbedded(UUID jobId, String url, String error) {
        String sql = error == null
                ? """
                  UPDATE job_pages SET embedded_at = COALESCE(embedded_at, now()), updated_at = now(),
                         state = CASE WHEN state = 'scraped' THEN 'embedded' ELSE state END
                   WHERE job_id = :job AND url = :url
                  """
                : """
                  UPDATE job_pages SET updated_at = now(),
                         error = CASE WHEN state IN ('scraped', 'embedded') THEN :error ELSE error END,
                         state = CASE WHEN state IN ('scraped', 'embedded') THEN 'failed' ELSE state END
                   WHERE job_id = :job AND url = :url
                  """;
        var spec = db.sql(sql).bind("job", jobId).bind("url", url);
        if (error != null) {
            spec = spec.bind("error", error);
        }
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** search.page-indexed.v1: the page's final outcome ({@code indexed} or {@code failed}); the first one wins. */
    public Mono<Boolean> markOutcome(UUID jobId, String url, String state, String error) {
        return db.sql("""
                        UPDATE job_pages SET state = :state, error = :error, updated_at = now()
                         WHERE job_id = :job AND url = :url AND state IN ('scraped', 'embedded')
                        """)
                .bind("job", jobId).bind("url", url).bind("state", state).bind("error", errorOrNull(error))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Fails the pages of running jobs whose crawl has finished that still wait for their outcome
     * (scraped or embedded) and were last updated before {@code cutoff}; returns the ids of the jobs
     * that had such pages.
     */
    public Flux<UUID> failStale(Instant cutoff, String error) {
        return db.sql("""
                        WITH stale AS (
                            UPDATE job_pages p SET state = 'failed', error = :error, updated_at = now()
                              FROM scrape_jobs j
                             WHERE j.id = p.job_id AND j.status = 'running' AND j.crawl_finished
                               AND p.state IN ('scraped', 'embedded') AND p.updated_at < :cutoff
                            RETURNING p.job_id
                        )
                        SELECT DISTINCT job_id FROM stale
                        """)
                .bind("cutoff", cutoff).bind("error", error)
                .map(row -> row.get("job_id", UUID.class)).all();
    }

    /** Remembers which model embedded the tenant's page with {@code contentHash}, if that is still its content. */
    public Mono<Void> recordEmbeddedModel(String tenantId, String url, String contentHash, String model) {
        return db.sql("""
                        UPDATE pages SET embedded_model = :model
                         WHERE tenant_id = :tenant AND url = :url AND content_hash = :hash
                        """)
                .bind("tenant", tenantId).bind("url", url).bind("hash", contentHash).bind("model", model).then();
    }

    /** Remembers that the tenant's page is indexed with {@code contentHash}, if that is still its content. */
    public Mono<Void> recordIndexedHash(String tenantId, String url, String contentHash) {
        return db.sql("""
                        UPDATE pages SET indexed_hash = :hash
                         WHERE tenant_id = :tenant AND url = :url AND content_hash = :hash
                        """)
                .bind("tenant", tenantId).bind("url", url).bind("hash", contentHash).then();
    }

    private static Parameter errorOrNull(String error) {
        return Parameter.fromOrEmpty(error, String.class);
    }
}
