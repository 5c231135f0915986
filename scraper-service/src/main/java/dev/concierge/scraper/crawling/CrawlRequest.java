package dev.concierge.scraper.crawling;

import java.util.List;

/**
 * @param label    names the crawl in logs and its storage folder (the job id)
 * @param startUrl absolute http(s) URL; the crawl stays on its host
 * @param maxPages at most this many URLs are fetched
 * @param maxDepth links followed from the start URL (0: only the start URL and the sitemap's pages)
 * @param rules    which URLs of the site may be fetched
 * @param known    the pages already stored for the tenant (any site); revalidated and checked for removal
 */
public record CrawlRequest(String label, String startUrl, int maxPages, int maxDepth, UrlRules rules,
        List<KnownPage> known) {

    public CrawlRequest {
        known = known == null ? List.of() : List.copyOf(known);
        rules = rules == null ? UrlRules.NONE : rules;
    }

    public CrawlRequest(String label, String startUrl, int maxPages) {
        this(label, startUrl, maxPages, Integer.MAX_VALUE, UrlRules.NONE, List.of());
    }
}
