package dev.concierge.scraper.crawling;

import java.util.List;

/**
 * A page the tenant's store already holds, handed to a crawl so it can revalidate and notice removals.
 *
 * @param url           the stored (canonical) URL
 * @param fetchedUrl    the URL it was fetched from (often equal to {@code url})
 * @param contentHash   the stored content's hash
 * @param etag          the {@code ETag} it was served with, if any
 * @param lastModified  the {@code Last-Modified} it was served with, if any
 * @param links         the same-site links it had, normalised; null when unknown
 * @param revalidate    ask the server whether it changed ({@code If-None-Match}/{@code If-Modified-Since}):
 *                      only for pages whose stored content is the content indexed, and not for forced crawls
 */
public record KnownPage(String url, String fetchedUrl, String contentHash, String etag, String lastModified,
        List<String> links, boolean revalidate) {
}
