package dev.concierge.scraper.jobs;

import java.time.Instant;
import java.util.UUID;

/** A crawl job as stored. {@code status} is one of the constants below. */
public record ScrapeJob(
        UUID id,
        String tenantId,
        String domain,
        String startUrl,
        int maxPages,
        boolean forceRescrape,
        String status,
        String error,
        Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}
