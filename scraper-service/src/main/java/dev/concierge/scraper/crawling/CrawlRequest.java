package dev.concierge.scraper.crawling;

/**
 * @param label    names the crawl in logs and its storage folder (the job id)
 * @param startUrl absolute http(s) URL; the crawl stays on its host
 * @param maxPages at most this many URLs are fetched
 */
public record CrawlRequest(String label, String startUrl, int maxPages) {
}
