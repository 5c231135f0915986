package dev.concierge.scraper.jobs;

import java.util.UUID;

/** Response of {@code POST /api/scrape}. */
public record JobAccepted(UUID jobId, String status) {
}
