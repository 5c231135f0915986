package dev.concierge.embedding.config;

import dev.concierge.contracts.EmbeddingModelId;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param targetWords   a chunk is closed once it holds about this many words
 * @param maxWords      hard upper bound of a chunk (a longer sentence is split at word boundaries)
 * @param overlapWords  words of the previous chunk's tail repeated at the start of the next
 * @param maxChunksPerPage bound on one page's chunks, so one event stays well under the topic's size limit
 * @param model         the catalogue name ({@link EmbeddingModelId}) of the model every chunk is embedded with;
 *                      an unknown name stops the worker at startup
 * @param batchSize     texts per request to a remote model
 * @param openai        how to reach OpenAI (or a server speaking its embeddings API)
 */
@ConfigurationProperties(prefix = "concierge.embedding")
public record EmbeddingProperties(int targetWords, int maxWords, int overlapWords, int maxChunksPerPage,
                                  String model, int batchSize, OpenAi openai) {

    public EmbeddingProperties {
        EmbeddingModelId.require(model); // fails binding, so startup, with the names there are
        openai = openai == null ? new OpenAi(null, null, null) : openai;
    }

    public EmbeddingModelId modelId() {
        return EmbeddingModelId.require(model);
    }

    /**
     * @param apiKey  {@code OPENAI_API_KEY}; required when {@code model} is an OpenAI model
     * @param baseUrl {@code OPENAI_BASE_URL}
     * @param timeout per request
     */
    public record OpenAi(String apiKey, String baseUrl, Duration timeout) {
    }
}
