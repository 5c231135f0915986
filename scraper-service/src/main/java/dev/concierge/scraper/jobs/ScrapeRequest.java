package dev.concierge.scraper.jobs;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/scrape}; every field is optional.
 *
 * @param domain          the store's domain; defaults to the caller's, and must be it
 * @param startUrl        where the crawl starts; defaults to {@code https://<domain>/}
 * @param maxPages        1..10000, default 500
 * @param forceRescrape   publish every page even when its content is already indexed (and fetch
 *                        unconditionally)
 * @param maxDepth        links followed from the start URL, 0..50, default 10
 * @param include         regular expressions; when given, only URLs whose path and query match one are crawled
 * @param exclude         regular expressions; URLs whose path and query match one are not crawled
 * @param defaultExcludes apply the built-in excludes (cart, checkout, account, login, admin, feeds, …);
 *                        default true
 * @param recrawlInterval ISO-8601 duration ({@code P1D}, at least {@code PT1H}) after which the scheduler
 *                        crawls the start URL again; {@code "off"} or {@code null} disables; absent: {@code P1D}
 *                        (a JSON node to tell an explicit null from an absent field)
 */
public record ScrapeRequest(String domain, String startUrl, Integer maxPages, Boolean forceRescrape,
        Integer maxDepth, List<String> include, List<String> exclude, Boolean defaultExcludes,
        JsonNode recrawlInterval) {

    public static final ScrapeRequest EMPTY = new ScrapeRequest(null, null, null, null);

    public ScrapeRequest(String domain, String startUrl, Integer maxPages, Boolean forceRescrape) {
        this(domain, startUrl, maxPages, forceRescrape, null, null, null, null, null);
    }
}
