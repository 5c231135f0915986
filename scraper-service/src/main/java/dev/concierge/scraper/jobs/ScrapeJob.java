package dev.concierge.scraper.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A crawl job as stored. {@code status} is one of the constants below.
 *
 * @param recrawlInterval null: no scheduled re-crawl
 * @param scheduled       started by the recrawl scheduler rather than a request
 */
public record ScrapeJob(
        UUID id,
        String tenantId,
        String domain,
        String startUrl,
        int maxPages,
        boolean forceRescrape,
        int maxDepth,
        List<String> include,
        List<String> exclude,
        boolean defaultExcludes,
        Duration recrawlInterval,
        boolean scheduled,
        String status,
        String error,
        Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public ScrapeJob {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
