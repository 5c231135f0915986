package dev.concierge.scraper.crawling;

/**
 * Receives a crawl's results as they come, on the crawler's threads (several at once): implementations
 * must be thread-safe, may block, and should not throw.
 */
public interface CrawlListener {

    /** An HTML page was fetched and extracted. */
    void onPage(FetchedPage page);

    /** A URL in scope could not be fetched or processed; {@code reason} is short and human-readable. */
    void onFailure(String url, String reason);

    /** The number of URLs scheduled so far (in scope, allowed by robots.txt, within the page limit). */
    void onDiscovered(long scheduledUrls);
}
