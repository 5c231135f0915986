package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.concierge.contracts.TenantUpdated;

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

    /** Only the changes that would make {@code tenant} different: values it already has are dropped. */
    public TenantChanges relativeTo(Tenant tenant) {
        return new TenantChanges(
                status == tenant.status() ? null : status,
                Objects.equals(name, tenant.name()) ? null : name,
                allowedOrigins == null || allowedOrigins.equals(tenant.allowedOrigins()) ? null : allowedOrigins,
                Objects.equals(rateLimitPlan, tenant.rateLimitPlan()) ? null : rateLimitPlan,
                supportEmail == null || supportEmail.orElse(null) == null && tenant.supportEmail() == null
                        || supportEmail.isPresent() && supportEmail.get().equals(tenant.supportEmail())
                        ? null : supportEmail);
    }

    /** The fields this changes, named as in the API and in {@code tenant.tenant-updated.v1}'s changed_fields. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (status != null) {
            names.add(TenantUpdated.STATUS);
        }
        if (name != null) {
            names.add(TenantUpdated.NAME);
        }
        if (allowedOrigins != null) {
            names.add(TenantUpdated.ALLOWED_ORIGINS);
        }
        if (rateLimitPlan != null) {
            names.add(TenantUpdated.RATE_LIMIT_PLAN);
        }
        if (supportEmail != null) {
            names.add(TenantUpdated.SUPPORT_EMAIL);
        }
        return names;
    }
}
