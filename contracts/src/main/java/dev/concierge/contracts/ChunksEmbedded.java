package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * The chunks of one page with their embeddings, published by embedding-worker on
 * {@link Topics#CHUNKS_EMBEDDED}. The chunk list replaces every chunk the page had before.
 * When the page could not be embedded, {@code chunks} is empty and {@code error} says why, so the
 * crawl job can count the page as failed instead of waiting for it. {@code scrapedAt} is when the page was
 * fetched (the page's version; added in v1, so absent from older events). {@code language} is the page's
 * language as the scraper found it (BCP 47 tag such as {@code en} or {@code de-CH}; optional, added in v1),
 * which search-service uses to pick the full-text configuration.
 */
public record ChunksEmbedded(
        String tenantId,
        String jobId,
        String url,
        String title,
        String contentHash,
        String model,
        int dimension,
        List<Chunk> chunks,
        String error,
        Instant embeddedAt,
        Instant scrapedAt,
        String language) {

    /** An event without the page's language (as published before v1 carried it). */
    public ChunksEmbedded(String tenantId, String jobId, String url, String title, String contentHash, String model,
                          int dimension, List<Chunk> chunks, String error, Instant embeddedAt, Instant scrapedAt) {
        this(tenantId, jobId, url, title, contentHash, model, dimension, chunks, error, embeddedAt, scrapedAt, null);
    }

    /** One passage of a page and its embedding. {@code heading} is the nearest heading above it. */
    public record Chunk(int index, String heading, String text, float[] vector) {
    }
}
