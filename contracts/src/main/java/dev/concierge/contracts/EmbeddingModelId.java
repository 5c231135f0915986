package dev.concierge.contracts;

import java.util.List;
import java.util.Optional;

/**
 * Which model made a vector, as recorded on every chunk ({@link ChunksEmbedded#model()},
 * {@link ChunksEmbedded#dimension()}). The embedding-worker that writes vectors and the search-service that
 * embeds queries name models from this one catalogue, and search compares a query only with vectors of the
 * model that embedded it: vectors of two models never meet, whatever their dimensions.
 */
public record EmbeddingModelId(String name, int dimension) {

    /** all-MiniLM-L6-v2, quantised, run in-process with ONNX: the default. */
    public static final EmbeddingModelId MINILM_L6_V2_Q = new EmbeddingModelId("all-minilm-l6-v2-q", 384);

    /** OpenAI's text-embedding-3-small (or any server speaking its wire format), when configured. */
    public static final EmbeddingModelId OPENAI_TEXT_EMBEDDING_3_SMALL = new EmbeddingModelId("text-embedding-3-small", 1536);

    /** Every model the platform can embed with. */
    public static final List<EmbeddingModelId> KNOWN = List.of(MINILM_L6_V2_Q, OPENAI_TEXT_EMBEDDING_3_SMALL);

    public static Optional<EmbeddingModelId> byName(String name) {
        return KNOWN.stream().filter(m -> m.name().equalsIgnoreCase(name == null ? "" : name.trim())).findFirst();
    }

    /** The configured model ({@code EMBEDDING_MODEL}) or an exception naming the ones there are. */
    public static EmbeddingModelId require(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("unknown embedding model '" + name
                + "'; known: " + KNOWN.stream().map(EmbeddingModelId::name).toList()));
    }
}
