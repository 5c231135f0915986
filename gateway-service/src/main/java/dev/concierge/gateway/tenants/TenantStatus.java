package dev.concierge.gateway.tenants;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a tenant's keys are honoured. Stored and shown in lower case. */
public enum TenantStatus {
    ACTIVE,
    DISABLED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status spelled {@code value} (any case), or {@code null}. */
    public static TenantStatus parse(String value) {
        return Arrays.stream(values())
                .filter(status -> status.value().equalsIgnoreCase(value == null ? "" : value.trim()))
                .findFirst()
                .orElse(null);
    }
}
