package dev.concierge.gateway.auth;

import java.util.Locale;

/** Who is calling, as forwarded in {@code X-Concierge-Role}. */
public enum Role {
    /** The operator's admin key. */
    ADMIN,
    /** A tenant's server-side {@code api_key}. */
    TENANT,
    /** A tenant's public {@code widget_key}, from a shopper's browser. */
    WIDGET;

    public String headerValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
