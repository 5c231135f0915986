package dev.concierge.scraper.crawling;

import dev.concierge.contracts.PageScraped;
import java.time.Instant;
import java.util.List;

/**
 * An HTML page the crawler fetched and extracted.
 *
 * @param url          canonical URL (see {@link ExtractedPage#url()})
 * @param fetchedUrl   the URL actually fetched (normalised)
 * @param etag         the response's {@code ETag}, if any
 * @param lastModified the response's {@code Last-Modified}, if any
 * @param links        its same-site links, normalised (what a later crawl follows when the page is unchanged)
 */
public record FetchedPage(String url, String fetchedUrl, String title, String text, Instant fetchedAt,
        String etag, String lastModified, List<String> links, String description, String language,
        List<PageScraped.Product> products) {

    public FetchedPage(String url, String fetchedUrl, String title, String text, Instant fetchedAt) {
        this(url, fetchedUrl, title, text, fetchedAt, null, null, List.of(), null, null, List.of());
    }
}
