package dev.concierge.embeddings;

/**
 * The model could not embed now (remote model down, circuit open, bad answer); the message says why.
 * {@link EmbeddingRejectedException} is the one case where the texts, not the model, are the problem.
 */
public class EmbeddingException extends RuntimeException {

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }

    public EmbeddingException(String message) {
        super(message);
    }
}
