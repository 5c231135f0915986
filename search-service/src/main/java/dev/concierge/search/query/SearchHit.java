package dev.concierge.search.query;

import java.util.List;

/**
 * One result. {@code score} is the cosine similarity of the passage to the query (0..1, comparable across
 * queries, so callers can apply a floor); results are ordered by the fused rank. {@code text} is the whole
 * passage, {@code snippet} its first sentences for display, {@code retrievers} which retrievers found it.
 */
public record SearchHit(String url, String title, String heading, String snippet, String text, int chunkIndex,
                        double score, List<String> retrievers) {
}
