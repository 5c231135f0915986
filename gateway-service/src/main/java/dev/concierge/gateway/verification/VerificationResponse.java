package dev.concierge.gateway.verification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.concierge.gateway.tenants.VerificationMethod;

/**
 * Answer to {@code POST /api/admin/tenants/{id}/verification/verify}: whether the domain is verified now and, for
 * each method tried (in order, until one succeeded), what it found.
 *
 * @param verificationMethod the method that verified the domain; {@code null} when none did
 */
public record VerificationResponse(
        UUID tenantId,
        String domain,
        boolean verified,
        Instant verifiedAt,
        VerificationMethod verificationMethod,
        List<VerificationAttempt> attempts) {
}
