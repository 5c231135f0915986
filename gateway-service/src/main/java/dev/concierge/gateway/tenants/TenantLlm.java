package dev.concierge.gateway.tenants;

/**
 * The language model a tenant chose, as stored: never its API key in clear.
 *
 * @param provider        {@value #OFFLINE} (the offline responder, never a model) or {@value #OPENAI} (an
 *                        OpenAI-compatible endpoint)
 * @param baseUrl         the endpoint's base URL; null for {@value #OFFLINE}
 * @param model           the model's name; null for {@value #OFFLINE}
 * @param apiKeyEncrypted the tenant's API key for the endpoint, AES-GCM under {@code TENANT_SECRETS_KEY}
 *                        (base64 of nonce || ciphertext); null for {@value #OFFLINE}
 * @param apiKeyHint      the key's last 4 characters, to tell keys apart; null for short keys and for
 *                        {@value #OFFLINE}
 */
public record TenantLlm(String provider, String baseUrl, String model, String apiKeyEncrypted, String apiKeyHint) {

    public static final String OFFLINE = "offline";
    public static final String OPENAI = "openai";
    /** The base URL of a tenant that chose {@value #OPENAI} without naming an endpoint. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** Keys shorter than this show no hint: 4 characters would give away too much of them. */
    static final int MIN_KEY_LENGTH_FOR_HINT = 16;

    public static final TenantLlm OFFLINE_CHOICE = new TenantLlm(OFFLINE, null, null, null, null);

    public boolean isOpenAi() {
        return OPENAI.equals(provider);
    }

    /** The last 4 characters of a key long enough to show them; null otherwise. */
    static String hintOf(String apiKey) {
        return apiKey.length() < MIN_KEY_LENGTH_FOR_HINT ? null : apiKey.substring(apiKey.length() - 4);
    }

    @Override
    public String toString() {
        return "TenantLlm[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey=***]";
    }
}
