package dev.concierge.scraper.crawling;

/**
 * How a crawl ended.
 *
 * @param scheduledUrls   URLs crawler4j scheduled (in scope, allowed by robots.txt, within the page limit)
 * @param htmlPages       HTML pages fetched and handed to the listener
 * @param problem         when no HTML page was fetched: why, in a sentence (robots.txt, unreachable, …); else null
 * @param interrupted     the crawl was stopped before it ran out of URLs (shutdown)
 */
public record CrawlResult(long scheduledUrls, long htmlPages, String problem, boolean interrupted) {
}
