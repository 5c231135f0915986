package dev.concierge.contracts;

import java.time.Instant;

/**
 * One crawled page, published by scraper-service on {@link Topics#PAGE_SCRAPED}.
 *
 * @param tenantId    the tenant that owns the page, whatever host served it
 * @param jobId       the crawl job that fetched it
 * @param url         the page's canonical URL
 * @param title       the document title (may be empty)
 * @param text        the extracted main text, headings kept on their own lines
 * @param contentHash SHA-256 (hex) of {@code text}; unchanged pages keep their hash
 * @param scrapedAt   when the page was fetched
 */
public record PageScraped(
        String tenantId,
        String jobId,
        String url,
        String title,
        String text,
        String contentHash,
        Instant scrapedAt) {
}
