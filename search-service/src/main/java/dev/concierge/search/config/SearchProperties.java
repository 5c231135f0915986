package dev.concierge.search.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param efSearch       HNSW candidate list size per query; pgvector's default of 40 loses recall
 * @param efSearchLarge  the candidate list for a tenant with more than {@code largeTenantChunks} chunks of a model:
 *                       a small fraction of a large index needs a longer list for the same recall
 * @param largeTenantChunks from how many chunks (per model) a tenant counts as large
 * @param candidates     how many hits each retriever contributes before fusion
 * @param rrfK           the k of reciprocal rank fusion, 1/(k + rank)
 * @param maxLimit       the largest {@code limit} a caller may ask for
 * @param vectorWeight   weight of the vector retriever's reciprocal ranks in the fusion
 * @param fullTextWeight weight of the full-text retriever's reciprocal ranks in the fusion
 * @param exactMaxChunks a tenant with at most this many chunks of a model is searched exactly (every vector
 *                       compared in full precision: a few ms, recall 1) instead of through the HNSW index
 */
@ConfigurationProperties(prefix = "concierge.search")
public record SearchProperties(int efSearch, int candidates, int rrfK, int maxLimit, double vectorWeight,
                               double fullTextWeight, @DefaultValue("10000") int exactMaxChunks,
                               @DefaultValue("300") int efSearchLarge, @DefaultValue("100000") int largeTenantChunks) {

    /** The HNSW candidate list for a tenant with {@code chunks} chunks of the model searched. */
    public int efSearchFor(long chunks) {
        return chunks > largeTenantChunks ? Math.max(efSearch, efSearchLarge) : efSearch;
    }
}
