package dev.concierge.embeddings;

import java.time.Duration;

/**
 * How to reach an OpenAI-compatible embeddings endpoint.
 *
 * @param apiKey    {@code OPENAI_API_KEY}
 * @param baseUrl   {@code OPENAI_BASE_URL}, default {@code https://api.openai.com/v1}
 * @param timeout   per request
 * @param batchSize texts per request
 */
public record OpenAiSettings(String apiKey, String baseUrl, Duration timeout, int batchSize) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    public OpenAiSettings {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
        timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
        batchSize = batchSize <= 0 ? 96 : batchSize;
    }

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }
}
