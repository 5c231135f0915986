package dev.concierge.contracts;

/**
 * Which model made a vector, as recorded on every chunk ({@link ChunksEmbedded#model()},
 * {@link ChunksEmbedded#dimension()}). The embedding-worker that writes vectors and the search-service that
 * embeds queries must name the same model, or search would compare nothing: both take it from here.
 */
public record EmbeddingModelId(String name, int dimension) {

    /** all-MiniLM-L6-v2, quantised, run in-process with ONNX: the default. */
    public static final EmbeddingModelId MINILM_L6_V2_Q = new EmbeddingModelId("all-minilm-l6-v2-q", 384);
}
