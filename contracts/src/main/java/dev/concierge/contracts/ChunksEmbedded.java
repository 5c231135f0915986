package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * The chunks of one page with their embeddings, published by embedding-worker on
 * {@link Topics#CHUNKS_EMBEDDED}. The chunk list replaces every chunk the page had before.
 * When the page could not be embedded, {@code chunks} is empty and {@code error} says why, so the
 * crawl job can count the page as failed instead of waiting for it. {@code scrapedAt} is when the page was
 * fetched (the page's version; added in v1, so absent from older events).
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
        Instant scrapedAt) {

    /** One passage of a page and its embedding. {@code heading} is the nearest heading above it. */
    public record Chunk(int index, String heading, String text, float[] vector) {
    }
}
