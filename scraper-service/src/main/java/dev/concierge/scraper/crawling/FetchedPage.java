package dev.concierge.scraper.crawling;

import java.time.Instant;

/**
 * An HTML page the crawler fetched and extracted.
 *
 * @param url        canonical URL (see {@link ExtractedPage#url()})
 * @param fetchedUrl the URL actually fetched
 */
public record FetchedPage(String url, String fetchedUrl, String title, String text, Instant fetchedAt) {
}
