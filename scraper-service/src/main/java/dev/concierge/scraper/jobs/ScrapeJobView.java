package dev.concierge.scraper.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job and its progress, as {@code GET /api/scrape/{job_id}} shows it.
 *
 * @param crawlFinished   the crawler is done; a running job now waits for its pages' outcomes
 * @param pagesDiscovered URLs the crawler scheduled (same site, allowed by robots.txt, within max_pages)
 * @param pagesScraped    HTML pages fetched, or confirmed unchanged (304)
 * @param pagesEmbedded   pages embedding-worker reported embedded
 * @param pagesIndexed    pages search-service reported indexed, plus unchanged pages already indexed
 * @param pagesFailed     pages that could not be fetched, had no text, or failed to embed or index
 * @param pagesRemoved    stored pages this job removed: gone (404/410) or no longer linked
 * @param pagesSkipped    URLs fetched but not processed: not HTML, or larger than the size limit
 * @param recrawlInterval ISO-8601 duration of the scheduled re-crawl, null when off
 * @param scheduled       started by the recrawl scheduler
 */
public record ScrapeJobView(
        UUID jobId,
        String domain,
        String startUrl,
        int maxPages,
        boolean forceRescrape,
        int maxDepth,
        List<String> include,
        List<String> exclude,
        boolean defaultExcludes,
        String recrawlInterval,
        boolean scheduled,
        String status,
        boolean crawlFinished,
        long pagesDiscovered,
        long pagesScraped,
        long pagesEmbedded,
        long pagesIndexed,
        long pagesFailed,
        long pagesRemoved,
        long pagesSkipped,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error) {
}
