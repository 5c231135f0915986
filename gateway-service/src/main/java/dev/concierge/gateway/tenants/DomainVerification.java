package dev.concierge.gateway.tenants;

import java.time.Instant;

/** That, when and how a tenant proved it controls its domain. */
public record DomainVerification(VerificationMethod method, Instant verifiedAt) {
}
