package dev.concierge.gateway.tenants;

import java.time.Instant;

/**
 * The domain-verification token of a tenant: what it must publish (on its site or in DNS) to prove it controls
 * its domain. Not a secret, the tenant publishes it; a new one replaces the old.
 *
 * @param token    {@code null} when none was issued yet
 * @param issuedAt {@code null} when none was issued yet
 */
public record VerificationToken(Tenant tenant, String token, Instant issuedAt) {
}
