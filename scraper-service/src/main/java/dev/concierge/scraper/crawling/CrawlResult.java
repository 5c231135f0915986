package dev.concierge.scraper.crawling;

import java.util.List;

/**
 * How a crawl ended.
 *
 * @param scheduledUrls   URLs crawler4j scheduled (in scope, allowed by robots.txt, within the page limit)
 * @param htmlPages       HTML pages fetched (or confirmed unchanged) and handed to the listener
 * @param problem         when no HTML page was fetched: why, in a sentence (robots.txt, unreachable, …); else null
 * @param interrupted     the crawl was stopped before it ran out of URLs (shutdown or cancel)
 * @param complete        the crawl saw the whole site within its rules: not interrupted, page limit not
 *                        reached, every fetched page's links known, no fetch error other than 404/410
 * @param unlinked        when complete: known pages in this crawl's scope (same host, under the start URL's
 *                        directory, allowed by the URL rules) that no link, seed or sitemap reached
 */
public record CrawlResult(long scheduledUrls, long htmlPages, String problem, boolean interrupted,
        boolean complete, List<KnownPage> unlinked) {

    public CrawlResult(long scheduledUrls, long htmlPages, String problem, boolean interrupted) {
        this(scheduledUrls, htmlPages, problem, interrupted, false, List.of());
    }
}
