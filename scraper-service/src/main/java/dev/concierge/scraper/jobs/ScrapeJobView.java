package dev.concierge.scraper.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A job and its progress, as {@code GET /api/scrape/{job_id}} shows it.
 *
 * @param crawlFinished   the crawler is done; a running job now waits for its pages' outcomes
 * @param pagesDiscovered URLs the crawler scheduled (same site, allowed by robots.txt, within max_pages)
 * @param pagesScraped    HTML pages fetched
 * @param pagesEmbedded   pages embedding-worker reported embedded
 * @param pagesIndexed    pages search-service reported indexed, plus unchanged pages already indexed
 * @param pagesFailed     pages that could not be fetched, had no text, or failed to embed or index
 */
public record ScrapeJobView(
        UUID jobId,
        String domain,
        String startUrl,
        int maxPages,
        boolean forceRescrape,
        String status,
        boolean crawlFinished,
        long pagesDiscovered,
        long pagesScraped,
        long pagesEmbedded,
        long pagesIndexed,
        long pagesFailed,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error) {
}
