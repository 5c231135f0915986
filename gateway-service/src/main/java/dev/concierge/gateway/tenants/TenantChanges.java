package dev.concierge.gateway.tenants;

import java.util.List;
import java.util.Optional;

/**
 * What a {@code PATCH} changes; a {@code null} component is left as it is.
 *
 * @param supportEmail {@code Optional.empty()} removes the address
 */
public record TenantChanges(
        TenantStatus status,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        Optional<String> supportEmail) {

    public TenantChanges {
        allowedOrigins = allowedOrigins == null ? null : List.copyOf(allowedOrigins);
    }

    public boolean isEmpty() {
        return status == null && name == null && allowedOrigins == null && rateLimitPlan == null
                && supportEmail == null;
    }
}
