package dev.concierge.gateway.tenants;

import java.time.Instant;

/**
 * The outcome of a key rotation: the new key in clear (shown this once) and until when the key it replaced is
 * still accepted ({@code null} when it was refused at once, i.e. with a zero grace period).
 */
public record RotatedKey(Tenant tenant, KeyKind kind, String newKey, Instant previousKeyValidUntil) {

    @Override
    public String toString() {
        return "RotatedKey[tenant=" + tenant.id() + ", kind=" + kind.value() + ", newKey=***, previousKeyValidUntil="
                + previousKeyValidUntil + "]";
    }
}
