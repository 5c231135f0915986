package dev.concierge.gateway.tenants;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two keys of a tenant, by the names the API uses for them. */
public enum KeyKind {
    /** The server-side key ({@code Authorization: Bearer ck_live_...}). */
    API_KEY("api_key"),
    /** The public key of the chat widget ({@code X-Widget-Key: cw_...}). */
    WIDGET_KEY("widget_key");

    private final String value;

    KeyKind(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The kind spelled {@code value} exactly, or {@code null}. */
    public static KeyKind parse(String value) {
        return Arrays.stream(values()).filter(kind -> kind.value.equals(value)).findFirst().orElse(null);
    }
}
