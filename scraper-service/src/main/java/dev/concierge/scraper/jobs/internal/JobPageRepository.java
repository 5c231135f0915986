package dev.concierge.scraper.jobs.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * {@code pages} (a tenant's latest fetched pages) and {@code job_pages} (each job's pages and their
 * state: scraped → embedded → indexed | failed). Outcome updates never leave a final state
 * (indexed/failed), so re-delivered or late events change nothing.
 */
@Repository
public class JobPageRepository {

    public static final String INDEXED = "indexed";
    public static final String FAILED = "failed";

    private final DatabaseClient db;

    public JobPageRepository(DatabaseClient db) {
        this.db = db;
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

    /** Stores the page's latest version and returns the hash that was last indexed for it, if any. */
    public Mono<Optional<String>> upsertPage(String tenantId, String url, String title, String text,
            String contentHash, Instant fetchedAt) {
        return db.sql("""
                        INSERT INTO pages (tenant_id, url, title, text, content_hash, fetched_at)
                        VALUES (:tenant, :url, :title, :text, :hash, :fetchedAt)
                        ON CONFLICT (tenant_id, url) DO UPDATE
                           SET title = EXCLUDED.title, text = EXCLUDED.text,
                               content_hash = EXCLUDED.content_hash, fetched_at = EXCLUDED.fetched_at
                        RETURNING indexed_hash
                        """)
                .bind("tenant", tenantId).bind("url", url).bind("title", title).bind("text", text)
                .bind("hash", contentHash).bind("fetchedAt", fetchedAt)
                .map(row -> Optional.ofNullable(row.get("indexed_hash", String.class))).one();
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
