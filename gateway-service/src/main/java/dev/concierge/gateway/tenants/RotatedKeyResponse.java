package dev.concierge.gateway.tenants;

import java.time.Instant;
import java.util.UUID;

import dev.concierge.gateway.tenants.internal.TenantKeys;

/**
 * Answer to {@code POST /api/admin/tenants/{id}/keys/rotate}: the only response that carries the new key.
 *
 * @param key                     which key was rotated: {@code api_key} or {@code widget_key}
 * @param newKey                  the new key, in clear
 * @param newKeyPrefix            its first characters, as {@code GET} shows them from now on
 * @param previousKeyValidUntil   until when the replaced key is still accepted ({@code null}: no longer)
 */
public record RotatedKeyResponse(
        UUID tenantId,
        KeyKind key,
        String newKey,
        String newKeyPrefix,
        Instant previousKeyValidUntil) {

    static RotatedKeyResponse of(RotatedKey rotated) {
        return new RotatedKeyResponse(rotated.tenant().id(), rotated.kind(), rotated.newKey(),
                TenantKeys.displayPrefix(rotated.newKey()), rotated.previousKeyValidUntil());
    }

    @Override
    public String toString() {
        return "RotatedKeyResponse[tenantId=" + tenantId + ", key=" + key.value() + ", newKey=***]";
    }
}
