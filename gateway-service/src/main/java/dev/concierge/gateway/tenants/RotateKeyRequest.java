package dev.concierge.gateway.tenants;

import dev.concierge.gateway.errors.ProblemException;

/** Body of {@code POST /api/admin/tenants/{id}/keys/rotate}: {@code {"key": "api_key" | "widget_key"}}. */
public record RotateKeyRequest(String key) {

    KeyKind validKind() {
        KeyKind kind = KeyKind.parse(key);
        if (kind == null) {
            throw ProblemException.invalidField("key", "must be \"api_key\" or \"widget_key\"");
        }
        return kind;
    }
}
