package dev.concierge.embeddings;

/**
 * The model is up but refuses these texts (OpenAI answers 400, e.g. an input over its token limit):
 * trying again will not help, unlike every other {@link EmbeddingException}, which means the model cannot
 * embed right now.
 */
public class EmbeddingRejectedException extends EmbeddingException {

    public EmbeddingRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
