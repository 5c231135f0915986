package dev.concierge.contracts;

import java.time.Instant;

/**
 * A page's outcome in the index, published by search-service on {@link Topics#PAGE_INDEXED}.
 * scraper-service uses it for job progress: {@code status} is {@code indexed} when the page is
 * searchable and {@code failed} when it will never be.
 */
public record PageIndexed(
        String tenantId,
        String jobId,
        String url,
        String contentHash,
        int chunkCount,
        String status,
        String error,
        Instant indexedAt) {

    public static final String INDEXED = "indexed";
    public static final String FAILED = "failed";
}
