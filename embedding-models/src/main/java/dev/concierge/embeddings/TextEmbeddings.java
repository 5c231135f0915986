package dev.concierge.embeddings;

import dev.concierge.contracts.EmbeddingModelId;
import java.util.List;

/**
 * The one port to an embedding model. Implementations are thread-safe and blocking (callers on a
 * reactive thread move the call to a blocking scheduler). Every vector has {@code id().dimension()}
 * components and is recorded with {@code id().name()}.
 */
public interface TextEmbeddings {

    EmbeddingModelId id();

    /** One vector per text, in order. Throws {@link EmbeddingException} when the model cannot embed now. */
    List<float[]> embedAll(List<String> texts);

    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }
}
