package dev.concierge.scraper.jobs;

/**
 * Body of {@code POST /api/scrape}; every field is optional.
 *
 * @param domain        the store's domain; defaults to the caller's, and must be it
 * @param startUrl      where the crawl starts; defaults to {@code https://<domain>/}
 * @param maxPages      1..10000, default 500
 * @param forceRescrape publish every page even when its content is already indexed
 */
public record ScrapeRequest(String domain, String startUrl, Integer maxPages, Boolean forceRescrape) {

    public static final ScrapeRequest EMPTY = new ScrapeRequest(null, null, null, null);
}
