package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A tenant as it is after it was registered or changed, published by gateway-service on
 * {@link Topics#TENANT_UPDATED}: on registration, every settings change, status change (disable, enable),
 * successful domain verification and key rotation (never the key itself). Each event is a full snapshot of the
 * settings other services may cache, so a subscriber only needs the latest one per tenant; the key (the tenant
 * id) keeps one tenant's events in order, and on a replay the later {@code updatedAt} wins.
 *
 * @param status        {@code active} or {@code disabled}
 * @param verified      whether the tenant proved it controls {@code domain}
 * @param supportEmail  where shoppers are handed over to a human; null when not set
 * @param changedFields what changed: {@code created} (the first event of a tenant), {@code status}, {@code name},
 *                      {@code allowed_origins}, {@code rate_limit_plan}, {@code support_email}, {@code llm},
 *                      {@code verified}, {@code api_key}, {@code widget_key}
 * @param updatedAt     when the change was made (the gateway database's clock)
 * @param llm           the language model the tenant chose; null (or absent, in events older than this field) for
 *                      the platform's default
 */
public record TenantUpdated(
        String tenantId,
        String domain,
        String name,
        String status,
        boolean verified,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        List<String> changedFields,
        Instant updatedAt,
        Llm llm) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    public static final String CREATED = "created";
    public static final String STATUS = "status";
    public static final String NAME = "name";
    public static final String ALLOWED_ORIGINS = "allowed_origins";
    public static final String RATE_LIMIT_PLAN = "rate_limit_plan";
    public static final String SUPPORT_EMAIL = "support_email";
    public static final String LLM = "llm";
    public static final String VERIFIED = "verified";
    public static final String API_KEY = "api_key";
    public static final String WIDGET_KEY = "widget_key";

    public TenantUpdated {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
    }

    /** An event without a language-model choice (the platform's default), as before {@code llm} existed. */
    public TenantUpdated(String tenantId, String domain, String name, String status, boolean verified,
            List<String> allowedOrigins, String rateLimitPlan, String supportEmail, List<String> changedFields,
            Instant updatedAt) {
        this(tenantId, domain, name, status, verified, allowedOrigins, rateLimitPlan, supportEmail, changedFields,
                updatedAt, null);
    }

    /**
     * The tenant's choice of language model. Never the API key in clear: {@code apiKeyEncrypted} is
     * base64({@code nonce || ciphertext}) of AES-256-GCM under the platform's {@code TENANT_SECRETS_KEY}
     * (12-byte random nonce, 128-bit tag at the end of the ciphertext, the tenant id in UTF-8 as associated data),
     * which only the services holding that key can open.
     *
     * @param provider        {@code offline} (the extractive responder, no model) or {@code openai} (any
     *                        OpenAI-compatible endpoint)
     * @param baseUrl         the endpoint's base URL ({@code https://api.openai.com/v1}); null for {@code offline}
     * @param model           the model's name ({@code gpt-4o-mini}); null for {@code offline}
     * @param apiKeyEncrypted the tenant's API key for the endpoint, encrypted; null for {@code offline}
     */
    public record Llm(String provider, String baseUrl, String model, String apiKeyEncrypted) {

        public static final String OFFLINE = "offline";
        public static final String OPENAI = "openai";

        @Override
        public String toString() {
            return "Llm[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKeyEncrypted="
                    + (apiKeyEncrypted == null ? null : "***") + "]";
        }
    }
}
