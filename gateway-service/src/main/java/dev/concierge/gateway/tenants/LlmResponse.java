package dev.concierge.gateway.tenants;

/**
 * The {@code llm} setting as the admin API shows it: whether an API key is set and at most its last 4
 * characters, never the key. Null (the whole object) for a tenant on the platform's default.
 */
public record LlmResponse(String provider, String baseUrl, String model, boolean apiKeySet, String apiKeyHint) {

    static LlmResponse of(TenantLlm llm) {
        return llm == null ? null : new LlmResponse(llm.provider(), llm.baseUrl(), llm.model(),
                llm.apiKeyEncrypted() != null, llm.apiKeyHint());
    }
}
