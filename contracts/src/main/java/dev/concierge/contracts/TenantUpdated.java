package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A tenant as it is after it was registered or changed, published by gateway-service on
 * {@link Topics#TENANT_UPDATED}: on registration, every settings change, status change (disable, enable),
 * successful domain verification and key rotation (never the key itself). Each event is a full snapshot of the
 * settings other services may cache, so a subscriber only needs the latest one per tenant; the key (the tenant
 * id) keeps one tenant's events in order, and on a replay the later {@code updatedAt} wins.
 *
 * @param status        {@code active} or {@code disabled}
 * @param verified      whether the tenant proved it controls {@code domain}
 * @param supportEmail  where shoppers are handed over to a human; null when not set
 * @param changedFields what changed: {@code created} (the first event of a tenant), {@code status}, {@code name},
 *                      {@code allowed_origins}, {@code rate_limit_plan}, {@code support_email}, {@code verified},
 *                      {@code api_key}, {@code widget_key}
 * @param updatedAt     when the change was made (the gateway database's clock)
 */
public record TenantUpdated(
        String tenantId,
        String domain,
        String name,
        String status,
        boolean verified,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        List<String> changedFields,
        Instant updatedAt) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    public static final String CREATED = "created";
    public static final String STATUS = "status";
    public static final String NAME = "name";
    public static final String ALLOWED_ORIGINS = "allowed_origins";
    public static final String RATE_LIMIT_PLAN = "rate_limit_plan";
    public static final String SUPPORT_EMAIL = "support_email";
    public static final String VERIFIED = "verified";
    public static final String API_KEY = "api_key";
    public static final String WIDGET_KEY = "widget_key";

    public TenantUpdated {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
    }
}
