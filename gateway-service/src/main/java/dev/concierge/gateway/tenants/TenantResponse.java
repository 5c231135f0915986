package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant as the admin API shows it: never its keys, only their first characters.
 *
 * @param verified           whether the tenant proved it controls its domain (see the verification endpoints)
 * @param verifiedAt         when it did; {@code null} while unverified
 * @param verificationMethod how: {@code well_known_file}, {@code dns_txt} or {@code meta_tag}; {@code null} while
 *                           unverified
 * @param llm                the language model the tenant chose (never its API key: whether one is set and its
 *                           last 4 characters); {@code null} for the platform's default
 */
public record TenantResponse(
        UUID tenantId,
        String domain,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        TenantStatus status,
        boolean verified,
        Instant verifiedAt,
        VerificationMethod verificationMethod,
        String apiKeyPrefix,
        String widgetKeyPrefix,
        Instant createdAt,
        Instant updatedAt,
        LlmResponse llm) {

    public static TenantResponse of(Tenant tenant) {
        DomainVerification verification = tenant.verification();
        return new TenantResponse(tenant.id(), tenant.domain(), tenant.name(), tenant.allowedOrigins(),
                tenant.rateLimitPlan(), tenant.supportEmail(), tenant.status(), verification != null,
                verification == null ? null : verification.verifiedAt(),
                verification == null ? null : verification.method(), tenant.apiKeyPrefix(),
                tenant.widgetKeyPrefix(), tenant.createdAt(), tenant.updatedAt(), LlmResponse.of(tenant.llm()));
    }
}
