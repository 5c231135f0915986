package dev.concierge.scraper.crawling;

/**
 * Receives a crawl's results as they come, on the crawler's threads (several at once): implementations
 * must be thread-safe, may block, and should not throw.
 */
public interface CrawlListener {

    /** An HTML page was fetched and extracted. */
    void onPage(FetchedPage page);

    /** A known page answered 304 Not Modified: its stored content is current. */
    default void onUnchanged(KnownPage page) {
    }

    /** A URL answered 404 or 410 ({@code status}); {@code url} is normalised. */
    default void onGone(String url, int status) {
        onFailure(url, "HTTP " + status);
    }

    /** A URL was fetched but deliberately not processed (not HTML, too large); {@code reason} says why. */
    default void onSkipped(String url, String reason) {
    }

    /** A URL in scope could not be fetched or processed; {@code reason} is short and human-readable. */
    void onFailure(String url, String reason);

    /** The number of URLs scheduled so far (in scope, allowed by robots.txt, within the page limit). */
    void onDiscovered(long scheduledUrls);

    /** Polled by the crawl: true ends it as soon as possible, and nothing more is reported. */
    default boolean isCancelled() {
        return false;
    }
}
