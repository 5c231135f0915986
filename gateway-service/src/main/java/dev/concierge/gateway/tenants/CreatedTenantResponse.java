package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Answer to {@code POST /api/admin/tenants}: the only response that ever carries the tenant's keys. */
public record CreatedTenantResponse(
        UUID tenantId,
        String domain,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        TenantStatus status,
        boolean verified,
        Instant createdAt,
        String apiKey,
        String widgetKey,
        LlmResponse llm) {

    static CreatedTenantResponse of(RegisteredTenant registered) {
        Tenant tenant = registered.tenant();
        return new CreatedTenantResponse(tenant.id(), tenant.domain(), tenant.name(), tenant.allowedOrigins(),
                tenant.rateLimitPlan(), tenant.supportEmail(), tenant.status(), tenant.isVerified(),
                tenant.createdAt(), registered.apiKey(), registered.widgetKey(), LlmResponse.of(tenant.llm()));
    }

    @Override
    public String toString() {
        return "CreatedTenantResponse[tenantId=" + tenantId + ", domain=" + domain + ", keys=***]";
    }
}
