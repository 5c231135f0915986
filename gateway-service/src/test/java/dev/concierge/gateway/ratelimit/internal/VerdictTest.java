package dev.concierge.gateway.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.config.RateLimitProperties.Bucket;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter.Scope;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter.Verdict;

class VerdictTest {

    @Test
    void asksToRetryWhenTheMissingTokensHaveRefilled() {
        assertThat(new Verdict(Scope.TENANT, new Bucket(2, 3, 1), false, 0).retryAfterSeconds()).isEqualTo(1);
        assertThat(new Verdict(Scope.TENANT, new Bucket(1, 60, 60), false, 5).retryAfterSeconds()).isEqualTo(55);
        assertThat(new Verdict(Scope.TENANT, new Bucket(10, 20, 1), false, 0).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void needsNoRetryWhenTokensAreLeft() {
        assertThat(new Verdict(Scope.TENANT, new Bucket(2, 3, 1), true, 2).retryAfterSeconds()).isZero();
    }

    @Test
    void countsWholeRequestsLeft() {
        assertThat(new Verdict(Scope.CLIENT_IP, new Bucket(1, 60, 20), true, 59).requestsLeft()).isEqualTo(2);
    }
}
