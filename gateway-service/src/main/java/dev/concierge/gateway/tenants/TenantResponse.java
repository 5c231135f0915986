package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant as the admin API shows it: never its keys, only their first characters. */
public record TenantResponse(
        UUID tenantId,
        String domain,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        TenantStatus status,
        String apiKeyPrefix,
        String widgetKeyPrefix,
        Instant createdAt) {

    static TenantResponse of(Tenant tenant) {
        return new TenantResponse(tenant.id(), tenant.domain(), tenant.name(), tenant.allowedOrigins(),
                tenant.rateLimitPlan(), tenant.supportEmail(), tenant.status(), tenant.apiKeyPrefix(),
                tenant.widgetKeyPrefix(), tenant.createdAt());
    }
}
