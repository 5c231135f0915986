package dev.concierge.scraper.jobs.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code crawl_schedules}: per tenant and start URL, the parameters of the last completed job (written by
 * {@link ScrapeJobRepository#completeIfSettled}) and when it is due to be crawled again.
 */
@Repository
public class CrawlScheduleRepository {

    /** A schedule that is due. */
    public record DueCrawl(String tenantId, String startUrl, String domain, int maxPages, int maxDepth,
            List<String> include, List<String> exclude, boolean defaultExcludes, Duration recrawlInterval) {
    }

    private final DatabaseClient db;

    public CrawlScheduleRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Schedules whose interval has passed at {@code now} since the later of their last completed job and
     * their last scheduled attempt, that have no pending or running job, and whose tenant is not disabled
     * ({@code tenant_statuses}, kept from tenant.tenant-updated.v1 by the {@code tenants} feature).
     */
    public Flux<DueCrawl> findDue(Instant now, int limit) {
        return db.sql("""
                        SELECT s.* FROM crawl_schedules s
                         WHERE s.recrawl_interval_s IS NOT NULL
                           AND GREATEST(s.last_finished_at, COALESCE(s.last_attempt_at, s.last_finished_at))
                               + make_interval(secs => s.recrawl_interval_s) <= :now
                           AND NOT EXISTS (SELECT 1 FROM scrape_jobs j
                                            WHERE j.tenant_id = s.tenant_id AND j.start_url = s.start_url
                                              AND j.status IN ('pending', 'running'))
                           AND NOT EXISTS (SELECT 1 FROM tenant_statuses t
                                            WHERE t.tenant_id = s.tenant_id AND t.status = 'disabled')
                         ORDER BY s.last_finished_at
                         LIMIT :limit
                        """)
                .bind("now", now).bind("limit", limit)
                .map(row -> new DueCrawl(row.get("tenant_id", String.class), row.get("start_url", String.class),
                        row.get("domain", String.class), row.get("max_pages", Integer.class),
                        row.get("max_depth", Integer.class), List.of(row.get("include_patterns", String[].class)),
                        List.of(row.get("exclude_patterns", String[].class)),
                        row.get("default_excludes", Boolean.class),
                        Duration.ofSeconds(row.get("recrawl_interval_s", Long.class))))
                .all();
    }

    /** Remembers that a re-crawl was started (or tried) at {@code now}, so a failing one waits an interval. */
    public Mono<Void> markAttempt(String tenantId, String startUrl, Instant now) {
        return db.sql("UPDATE crawl_schedules SET last_attempt_at = :now WHERE tenant_id = :tenant AND start_url = :url")
                .bind("now", now).bind("tenant", tenantId).bind("url", startUrl).then();
    }
}
