package dev.concierge.gateway.verification.internal;

import dev.concierge.gateway.verification.Outcome;

/** A check that could not get an answer, and why: an expected outcome, so without a stack trace. */
public final class CheckFailed extends RuntimeException {

    private final Outcome outcome;

    public CheckFailed(Outcome outcome, String detail) {
        super(detail, null, false, false);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String detail() {
        return getMessage();
    }
}
