package dev.concierge.scraper.jobs.internal;

import dev.concierge.scraper.jobs.ScrapeJob;
import dev.concierge.scraper.jobs.ScrapeJobView;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code scrape_jobs}, and the job counters derived from {@code job_pages}. */
@Repository
public class ScrapeJobRepository {

    private static final String COLUMNS = """
            SELECT j.id, j.domain, j.start_url, j.max_pages, j.force_rescrape, j.status, j.error, j.crawl_finished,
                   j.pages_discovered, j.created_at, j.started_at, j.finished_at, j.max_depth, j.include_patterns,
                   j.exclude_patterns, j.default_excludes, j.recrawl_interval_s, j.scheduled,
                   count(p.url) FILTER (WHERE p.state <> 'removed' OR p.error <> 'unlinked') AS pages_seen,
                   count(p.content_hash) FILTER (WHERE p.state <> 'removed') AS pages_scraped,
                   count(p.embedded_at) AS pages_embedded,
                   count(*) FILTER (WHERE p.state = 'indexed') AS pages_indexed,
                   count(*) FILTER (WHERE p.state = 'failed') AS pages_failed,
                   count(*) FILTER (WHERE p.state = 'removed') AS pages_removed,
                   count(*) FILTER (WHERE p.state = 'skipped') AS pages_skipped
              FROM scrape_jobs j LEFT JOIN job_pages p ON p.job_id = j.id
            """;
    private static final String VIEW = COLUMNS + " WHERE j.id = :id";

    private final DatabaseClient db;

    public ScrapeJobRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Stores a new job. Fails with {@link org.springframework.dao.DataIntegrityViolationException} when the
     * tenant already has an unfinished job for the start URL (see {@link #findUnfinished}).
     */
    public Mono<Void> insert(ScrapeJob job) {
        return db.sql("""
                        INSERT INTO scrape_jobs (id, tenant_id, domain, start_url, max_pages, force_rescrape, status,
                                                 created_at, max_depth, include_patterns, exclude_patterns,
                                                 default_excludes, recrawl_interval_s, scheduled)
                        VALUES (:id, :tenant, :domain, :startUrl, :maxPages, :force, :status, :createdAt, :maxDepth,
                                :include, :exclude, :defaultExcludes, :recrawl, :scheduled)
                        """)
                .bind("id", job.id()).bind("tenant", job.tenantId()).bind("domain", job.domain())
                .bind("startUrl", job.startUrl()).bind("maxPages", job.maxPages()).bind("force", job.forceRescrape())
                .bind("status", job.status()).bind("createdAt", job.createdAt())
                .bind("maxDepth", job.maxDepth())
                .bind("include", job.include().toArray(String[]::new))
                .bind("exclude", job.exclude().toArray(String[]::new))
                .bind("defaultExcludes", job.defaultExcludes())
                .bind("recrawl", Parameter.fromOrEmpty(
                        job.recrawlInterval() == null ? null : job.recrawlInterval().toSeconds(), Long.class))
                .bind("scheduled", job.scheduled())
                .then();
    }

    /** The tenant's pending or running job for {@code startUrl}, if any. */
    public Mono<UUID> findUnfinished(String tenantId, String startUrl) {
        return db.sql("""
                        SELECT id FROM scrape_jobs
                         WHERE tenant_id = :tenant AND start_url = :startUrl AND status IN ('pending', 'running')
                        """)
                .bind("tenant", tenantId).bind("startUrl", startUrl)
                .map(row -> row.get("id", UUID.class)).first();
    }

    /** Jobs newest first: the tenant's, or with a null tenant (admin) those of {@code domain}, or all. */
    public Flux<ScrapeJobView> list(String tenantId, String domain, int limit) {
        String where = tenantId != null ? " WHERE j.tenant_id = :tenant" : domain != null ? " WHERE j.domain = :domain" : "";
        var spec = db.sql(COLUMNS + where + " GROUP BY j.id ORDER BY j.created_at DESC, j.id LIMIT :limit")
                .bind("limit", limit);
        if (tenantId != null) {
            spec = spec.bind("tenant", tenantId);
        } else if (domain != null) {
            spec = spec.bind("domain", domain);
        }
        return spec.map(ScrapeJobRepository::view).all();
    }

    /** pending/running → cancelled; false when the job had already finished. */
    public Mono<Boolean> cancel(UUID id) {
        return db.sql("""
                        UPDATE scrape_jobs SET status = 'cancelled', finished_at = now(),
                               error = 'cancelled by request'
                         WHERE id = :id AND status IN ('pending', 'running')
                        """)
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
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
        // completing also records the job's parameters as the schedule of its tenant and start URL
        return db.sql("""
                        WITH done AS (
                            UPDATE scrape_jobs SET status = 'completed', finished_at = now()
                             WHERE id = :id AND status = 'running' AND crawl_finished
                               AND NOT EXISTS (SELECT 1 FROM job_pages
                                                WHERE job_id = :id AND state IN ('scraped', 'embedded'))
                            RETURNING *
                        ), schedule AS (
                            INSERT INTO crawl_schedules (tenant_id, start_url, domain, max_pages, max_depth,
                                                         include_patterns, exclude_patterns, default_excludes,
                                                         recrawl_interval_s, last_job_id, last_finished_at)
                            SELECT tenant_id, start_url, domain, max_pages, max_depth, include_patterns,
                                   exclude_patterns, default_excludes, recrawl_interval_s, id, finished_at
                              FROM done
                            ON CONFLICT (tenant_id, start_url) DO UPDATE
                               SET domain = EXCLUDED.domain, max_pages = EXCLUDED.max_pages,
                                   max_depth = EXCLUDED.max_depth, include_patterns = EXCLUDED.include_patterns,
                                   exclude_patterns = EXCLUDED.exclude_patterns,
                                   default_excludes = EXCLUDED.default_excludes,
                                   recrawl_interval_s = EXCLUDED.recrawl_interval_s,
                                   last_job_id = EXCLUDED.last_job_id, last_finished_at = EXCLUDED.last_finished_at
                            RETURNING 1
                        )
                        SELECT (SELECT count(*) FROM done) AS completed, (SELECT count(*) FROM schedule) AS scheduled
                        """)
                .bind("id", id).map(row -> row.get("completed", Long.class) > 0).one();
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
        Long recrawl = row.get("recrawl_interval_s", Long.class);
        return new ScrapeJobView(
                row.get("id", UUID.class),
                row.get("domain", String.class),
                row.get("start_url", String.class),
                row.get("max_pages", Integer.class),
                row.get("force_rescrape", Boolean.class),
                row.get("max_depth", Integer.class),
                List.of(row.get("include_patterns", String[].class)),
                List.of(row.get("exclude_patterns", String[].class)),
                row.get("default_excludes", Boolean.class),
                recrawl == null ? null : Duration.ofSeconds(recrawl).toString(),
                row.get("scheduled", Boolean.class),
                row.get("status", String.class),
                row.get("crawl_finished", Boolean.class),
                Math.max(row.get("pages_discovered", Integer.class), seen),
                row.get("pages_scraped", Long.class),
                row.get("pages_embedded", Long.class),
                row.get("pages_indexed", Long.class),
                row.get("pages_failed", Long.class),
                row.get("pages_removed", Long.class),
                row.get("pages_skipped", Long.class),
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
