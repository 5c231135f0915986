package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bound on failed authentications per client address ({@code concierge.auth-failures.*}): wrong API keys,
 * unknown widget keys and wrong admin keys are counted in Redis per client ({@code auth-failures:<client>}, the
 * address as the rate limits see it, trusted proxies included); a client with more than {@code limit} failures
 * within {@code window} is refused (429) on every authenticated request until the window ends.
 *
 * @param enabled           whether failures are counted at all
 * @param limit             failures a client may have within one window; the next one blocks it
 * @param window            how long failures are counted (from the first one) and a blocked client stays blocked
 * @param timeout           longest wait for Redis when counting a failure; Redis unavailable: nobody is blocked
 *                          (fail-open) and the failure answers as usual
 * @param backoff           after Redis failed, how long failures are not counted before it is tried again
 * @param maxBlockedClients how many blocked clients each gateway instance remembers (the ones that checks
 *                          before any key lookup); above it the oldest entries make room
 */
@ConfigurationProperties("concierge.auth-failures")
public record AuthFailureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30") int limit,
        @DefaultValue("1m") Duration window,
        @DefaultValue("500ms") Duration timeout,
        @DefaultValue("5s") Duration backoff,
        @DefaultValue("10000") int maxBlockedClients) {

    public AuthFailureProperties {
        if (limit < 1) {
            throw new IllegalArgumentException("concierge.auth-failures.limit must be at least 1");
        }
        for (Duration duration : new Duration[] {window, timeout, backoff}) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("concierge.auth-failures window, timeout and backoff must be positive");
            }
        }
        if (window.toMillis() < 1000) {
            throw new IllegalArgumentException("concierge.auth-failures.window must be at least 1s");
        }
        if (maxBlockedClients < 1) {
            throw new IllegalArgumentException("concierge.auth-failures.max-blocked-clients must be at least 1");
        }
    }
}
