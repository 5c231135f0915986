package dev.concierge.embedding.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param targetWords   a chunk is closed once it holds about this many words
 * @param maxWords      hard upper bound of a chunk (a longer sentence is split at word boundaries)
 * @param overlapWords  words of the previous chunk's tail repeated at the start of the next
 * @param maxChunksPerPage bound on one page's chunks, so one event stays well under the topic's size limit
 */
@ConfigurationProperties(prefix = "concierge.embedding")
public record EmbeddingProperties(int targetWords, int maxWords, int overlapWords, int maxChunksPerPage) {
}
