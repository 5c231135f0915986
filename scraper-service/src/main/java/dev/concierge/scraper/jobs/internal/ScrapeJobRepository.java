package dev.concierge.scraper.jobs.internal;

import dev.concierge.scraper.jobs.ScrapeJob;
import dev.concierge.scraper.jobs.ScrapeJobView;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** {@code scrape_jobs}, and the job counters derived from {@code job_pages}. */
@Repository
public class ScrapeJobRepository {

    private static final String VIEW = """
            SELECT j.id, j.domain, j.start_url, j.max_pages, j.force_rescrape, j.status, j.error, j.crawl_finished,
                   j.pages_discovered, j.created_at, j.started_at, j.finished_at,
                   count(p.url) AS pages_seen,
                   count(p.content_hash) AS pages_scraped,
                   count(p.embedded_at) AS pages_embedded,
                   count(*) FILTER (WHERE p.state = 'indexed') AS pages_indexed,
                   count(*) FILTER (WHERE p.state = 'failed') AS pages_failed
              FROM scrape_jobs j LEFT JOIN job_pages p ON p.job_id = j.id
             WHERE j.id = :id
            """;

    private final DatabaseClient db;

    public ScrapeJobRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(ScrapeJob job) {
        return db.sql("""
                        INSERT INTO scrape_jobs (id, tenant_id, domain, start_url, max_pages, force_rescrape, status, created_at)
                        VALUES (:id, :tenant, :domain, :startUrl, :maxPages, :force, :status, :createdAt)
                        """)
                .bind("id", job.id()).bind("tenant", job.tenantId()).bind("domain", job.domain())
                .bind("startUrl", job.startUrl()).bind("maxPages", job.maxPages()).bind("force", job.forceRescrape())
                .bind("status", job.status()).bind("createdAt", job.createdAt())
                .then();
    }

    /** The job with its counters; only the tenant's own unless {@code tenantId} is null (admin). */
    public Mono<ScrapeJobView> findView(UUID id, String tenantId) {
        String sql = VIEW + (tenantId == null ? "" : " AND j.tenant_id = :tenant") + " GROUP BY j.id";
        var spec = db.sql(sql).bind("id", id);
        if (tenantId != null) {
            spec = spec.bind("tenant", tenantId);
        }
        return spec.map(ScrapeJobRepository::view).one();
    }

    /** pending → running; false when the job is no longer pending (failed by a restart, say). */
    public Mono<Boolean> markRunning(UUID id) {
        return db.sql("UPDATE scrape_jobs SET status = 'running', started_at = now() WHERE id = :id AND status = 'pending'")
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Void> recordDiscovered(UUID id, long scheduledUrls) {
        return db.sql("UPDATE scrape_jobs SET pages_discovered = GREATEST(pages_discovered, :n) WHERE id = :id")
                .bind("id", id).bind("n", (int) Math.min(Integer.MAX_VALUE, scheduledUrls)).then();
    }

    /**
     * The crawler is done. A job that fetched no HTML page fails with {@code problem}; any other waits
     * for its pages' outcomes (see {@link #completeIfSettled}). Returns the job's status afterwards.
     */
    public Mono<String> finishCrawl(UUID id, long scheduledUrls, String problem) {
        return db.sql("""
                        UPDATE scrape_jobs j
                           SET crawl_finished = true,
                               pages_discovered = GREATEST(j.pages_discovered, :n),
                               status = CASE WHEN s.scraped THEN j.status ELSE 'failed' END,
                               error = CASE WHEN s.scraped THEN j.error ELSE :problem END,
                               finished_at = CASE WHEN s.scraped THEN j.finished_at ELSE now() END
                          FROM (SELECT EXISTS (SELECT 1 FROM job_pages
                                                WHERE job_id = :id AND content_hash IS NOT NULL) AS scraped) s
                         WHERE j.id = :id AND j.status = 'running'
                        RETURNING j.status
                        """)
                .bind("id", id).bind("n", (int) Math.min(Integer.MAX_VALUE, scheduledUrls))
                .bind("problem", problem == null ? "no HTML page could be fetched" : problem)
                .map(row -> row.get("status", String.class)).one();
    }

    /**
     * running → completed once the crawl has finished and no page of the job still waits for its
     * outcome (every one is indexed or failed). Safe to call any number of times, from any thread.
     */
    public Mono<Boolean> completeIfSettled(UUID id) {
        return db.sql("""
                        UPDATE scrape_jobs SET status = 'completed', finished_at = now()
                         WHERE id = :id AND status = 'running' AND crawl_finished
                           AND NOT EXISTS (SELECT 1 FROM job_pages
                                            WHERE job_id = :id AND state IN ('scraped', 'embedded'))
                        """)
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Void> fail(UUID id, String error) {
        return db.sql("""
                        UPDATE scrape_jobs SET status = 'failed', error = :error, finished_at = now()
                         WHERE id = :id AND status IN ('pending', 'running')
                        """)
                .bind("id", id).bind("error", error).then();
    }

    /** Fails every job left pending or running; returns how many. */
    public Mono<Long> failUnfinished(String error) {
        return db.sql("""
                        UPDATE scrape_jobs SET status = 'failed', error = :error, finished_at = now()
                         WHERE status IN ('pending', 'running')
                        """)
                .bind("error", error).fetch().rowsUpdated();
    }

    private static ScrapeJobView view(Readable row) {
        long seen = row.get("pages_seen", Long.class);
        return new ScrapeJobView(
                row.get("id", UUID.class),
                row.get("domain", String.class),
                row.get("start_url", String.class),
                row.get("max_pages", Integer.class),
                row.get("force_rescrape", Boolean.class),
                row.get("status", String.class),
                row.get("crawl_finished", Boolean.class),
                Math.max(row.get("pages_discovered", Integer.class), seen),
                row.get("pages_scraped", Long.class),
                row.get("pages_embedded", Long.class),
                row.get("pages_indexed", Long.class),
                row.get("pages_failed", Long.class),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                row.get("error", String.class));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime t = row.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
