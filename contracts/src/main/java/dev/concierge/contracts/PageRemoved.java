package dev.concierge.contracts;

import java.time.Instant;

/**
 * A page that is no longer part of the tenant's site, published by scraper-service on
 * {@link Topics#PAGE_REMOVED}; search-service drops it from the index.
 *
 * @param jobId  the crawl that noticed (null when removed by other means)
 * @param reason {@code gone} (the server answered 404 or 410), {@code unlinked} (a complete crawl no longer
 *               reaches it), {@code excluded} (robots.txt or the job's URL rules now exclude it)
 */
public record PageRemoved(
        String tenantId,
        String jobId,
        String url,
        String reason,
        Instant removedAt) {

    public static final String GONE = "gone";
    public static final String UNLINKED = "unlinked";
    public static final String EXCLUDED = "excluded";
}
