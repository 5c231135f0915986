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
 * @param llm          the language model as requested; {@code Optional.empty()} returns to the platform's default
 */
public record TenantChanges(
        TenantStatus status,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        Optional<String> supportEmail,
        Optional<LlmSetting> llm) {

    public TenantChanges {
        allowedOrigins = allowedOrigins == null ? null : List.copyOf(allowedOrigins);
    }

    /** Changes that leave the language model as it is. */
    public TenantChanges(TenantStatus status, String name, List<String> allowedOrigins, String rateLimitPlan,
            Optional<String> supportEmail) {
        this(status, name, allowedOrigins, rateLimitPlan, supportEmail, null);
    }

    public boolean isEmpty() {
        return status == null && name == null && allowedOrigins == null && rateLimitPlan == null
                && supportEmail == null && llm == null;
    }

    /** These changes with {@code llm} instead ({@code null}: the model stays as it is). */
    public TenantChanges withLlm(Optional<LlmSetting> llm) {
        return new TenantChanges(status, name, allowedOrigins, rateLimitPlan, supportEmail, llm);
    }

    /**
     * Only the changes that would make {@code tenant} different: values it already has are dropped. The language
     * model is kept as requested (whether it changes anything depends on its key, see {@code TenantRegistry}),
     * except that returning to the platform's default is dropped when the tenant is on it.
     */
    public TenantChanges relativeTo(Tenant tenant) {
        return new TenantChanges(
                status == tenant.status() ? null : status,
                Objects.equals(name, tenant.name()) ? null : name,
                allowedOrigins == null || allowedOrigins.equals(tenant.allowedOrigins()) ? null : allowedOrigins,
                Objects.equals(rateLimitPlan, tenant.rateLimitPlan()) ? null : rateLimitPlan,
                supportEmail == null || supportEmail.orElse(null) == null && tenant.supportEmail() == null
                        || supportEmail.isPresent() && supportEmail.get().equals(tenant.supportEmail())
                        ? null : supportEmail,
                llm != null && llm.isEmpty() && tenant.llm() == null ? null : llm);
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
        if (llm != null) {
            names.add(TenantUpdated.LLM);
        }
        return names;
    }
}
