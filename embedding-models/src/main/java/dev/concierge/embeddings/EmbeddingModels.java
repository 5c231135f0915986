package dev.concierge.embeddings;

import dev.concierge.contracts.EmbeddingModelId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates each model once, by its catalogue name ({@link EmbeddingModelId}). In-process models load
 * lazily (the ONNX model takes a second and ~100 MB); a remote model needs its settings.
 */
public final class EmbeddingModels {

    private final OpenAiSettings openAi;
    private final Map<EmbeddingModelId, TextEmbeddings> models = new ConcurrentHashMap<>();

    public EmbeddingModels(OpenAiSettings openAi) {
        this.openAi = openAi;
    }

    /** Whether this process can embed with the model (a remote one needs its API key). */
    public boolean available(EmbeddingModelId id) {
        return !id.equals(EmbeddingModelId.OPENAI_TEXT_EMBEDDING_3_SMALL) || (openAi != null && openAi.configured());
    }

    public TextEmbeddings get(EmbeddingModelId id) {
        if (!available(id)) {
            throw new EmbeddingException("model " + id.name() + " is not configured here (OPENAI_API_KEY is not set)");
        }
        return models.computeIfAbsent(id, this::create);
    }

    private TextEmbeddings create(EmbeddingModelId id) {
        if (id.equals(EmbeddingModelId.MINILM_L6_V2_Q)) {
            return new OnnxMiniLmEmbeddings();
        }
        if (id.equals(EmbeddingModelId.OPENAI_TEXT_EMBEDDING_3_SMALL)) {
            return new OpenAiEmbeddings(id, openAi);
        }
        throw new EmbeddingException("no implementation for model " + id.name());
    }
}
