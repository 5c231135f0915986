package dev.concierge.gateway.verification;

import dev.concierge.gateway.tenants.VerificationMethod;

/**
 * One verification method as it was tried.
 *
 * @param target  what was asked: the URL fetched or the DNS name looked up
 * @param outcome what was found
 * @param detail  why it failed (or what matched), for the tenant to act on
 */
public record VerificationAttempt(VerificationMethod method, String target, Outcome outcome, String detail) {

    public boolean succeeded() {
        return outcome == Outcome.VERIFIED;
    }
}
