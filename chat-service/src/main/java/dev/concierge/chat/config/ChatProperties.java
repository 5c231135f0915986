package dev.concierge.chat.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param searchServiceUrl base URL of search-service
 * @param minScore         cosine-similarity floor a retrieved passage must clear to ground an answer
 * @param retrievalLimit   passages retrieved per question
 * @param historyTurns     earlier messages given to the model (and used for follow-up retrieval)
 * @param sessionTtl       a session's conversation ends after this much inactivity
 * @param searchTimeout    per-call timeout towards search-service
 * @param expirySweep      how often conversations idle for longer than {@code sessionTtl} are expired (and
 *                         announced on chat.conversation-updated.v1) without waiting for their next message
 * @param openai           the OpenAI-compatible model; unused while {@code apiKey} is empty
 */
@ConfigurationProperties(prefix = "concierge.chat")
public record ChatProperties(String searchServiceUrl, double minScore, int retrievalLimit, int historyTurns,
                             Duration sessionTtl, Duration searchTimeout, Duration expirySweep, OpenAi openai) {

    public record OpenAi(String apiKey, String baseUrl, String chatModel, Duration timeout, int maxRetries) {

        public boolean configured() {
            return apiKey != null && !apiKey.isBlank();
        }
    }
}
