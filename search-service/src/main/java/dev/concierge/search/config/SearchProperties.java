package dev.concierge.search.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param efSearch       HNSW candidate list size per query; pgvector's default of 40 loses recall
 * @param candidates     how many hits each retriever contributes before fusion
 * @param rrfK           the k of reciprocal rank fusion, 1/(k + rank)
 * @param maxLimit       the largest {@code limit} a caller may ask for
 */
@ConfigurationProperties(prefix = "concierge.search")
public record SearchProperties(int efSearch, int candidates, int rrfK, int maxLimit) {
}
