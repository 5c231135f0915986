package dev.concierge.gateway.tenants;

/**
 * The {@code llm} setting as sent to {@code POST} or {@code PATCH /api/admin/tenants}, checked field by field
 * ({@link TenantFields#llm}); what it becomes depends on the tenant's current choice (an omitted {@code api_key}
 * keeps the stored one), see {@code TenantRegistry}. Holds the API key in clear: never log it.
 *
 * @param baseUrl null when not given
 * @param model   null when not given
 * @param apiKey  null when not given
 */
public record LlmSetting(String provider, String baseUrl, String model, String apiKey) {

    @Override
    public String toString() {
        return "LlmSetting[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? null : "***") + "]";
    }
}
