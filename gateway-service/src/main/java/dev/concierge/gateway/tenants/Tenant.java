package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A store using Concierge. Its keys are never kept, only their hashes (in the database) and their first
 * characters ({@code apiKeyPrefix}, {@code widgetKeyPrefix}) so operators can tell keys apart.
 */
public record Tenant(
        UUID id,
        String domain,
        String name,
        List<String> allowedOrigins,
        TenantStatus status,
        String apiKeyPrefix,
        String widgetKeyPrefix,
        Instant createdAt) {

    public Tenant {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
