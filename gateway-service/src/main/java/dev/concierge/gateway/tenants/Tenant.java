package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.concierge.gateway.tenants.internal.Origins;

/**
 * A store using Concierge. Its keys are never kept, only their hashes (in the database) and their first
 * characters ({@code apiKeyPrefix}, {@code widgetKeyPrefix}) so operators can tell keys apart.
 *
 * @param allowedOrigins browser origins ({@code https://shop.example}) from which the widget may call the chat
 * @param rateLimitPlan  the name of the tenant's plan in {@code concierge.rate-limit.plans}
 * @param supportEmail   where shoppers are handed over to a human; {@code null} when not set
 * @param verification   how and when the tenant proved it controls {@code domain}; {@code null} while it has not
 * @param updatedAt      when the tenant last changed (settings, status, verification, keys)
 * @param llm            the language model the tenant chose; {@code null} for the platform's default
 */
public record Tenant(
        UUID id,
        String domain,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        TenantStatus status,
        String apiKeyPrefix,
        String widgetKeyPrefix,
        Instant createdAt,
        DomainVerification verification,
        Instant updatedAt,
        TenantLlm llm) {

    public Tenant {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** A tenant on the platform's default language model. */
    public Tenant(UUID id, String domain, String name, List<String> allowedOrigins, String rateLimitPlan,
            String supportEmail, TenantStatus status, String apiKeyPrefix, String widgetKeyPrefix, Instant createdAt,
            DomainVerification verification, Instant updatedAt) {
        this(id, domain, name, allowedOrigins, rateLimitPlan, supportEmail, status, apiKeyPrefix, widgetKeyPrefix,
                createdAt, verification, updatedAt, null);
    }

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }

    public boolean isVerified() {
        return verification != null;
    }

    /**
     * Whether a browser's {@code Origin} header names one of the allowed origins. Compared as origins
     * (scheme, host and port; case and default ports do not matter); {@code null}, {@code "null"} and anything
     * that is no http(s) origin are never allowed.
     */
    public boolean allowsOrigin(String origin) {
        String normalised = Origins.normalise(origin);
        return normalised != null && allowedOrigins.contains(normalised);
    }

    /** The origins a tenant of {@code domain} gets when none are given: its own site, with and without www. */
    public static List<String> defaultOrigins(String domain) {
        return List.of("https://" + domain, "https://www." + domain);
    }
}
