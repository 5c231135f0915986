package dev.concierge.search.query;

import java.time.OffsetDateTime;

/** What the index holds for a tenant. */
public record IndexStats(String domain, long pages, long chunks, String model, Integer dimension, OffsetDateTime lastIndexedAt) {
}
