package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway treats a failing service ({@code concierge.resilience.*}).
 *
 * @param retries         how often an idempotent request ({@code GET}, {@code HEAD}) is tried again after its
 *                        connection failed (refused, not accepted in time, closed before any response); never
 *                        after a response timeout, never for other methods
 * @param retryBackoff    the wait before the first retry, doubled for each further one
 * @param retryMaxBackoff the longest wait between retries
 * @param breaker         the circuit breaker kept per service
 */
@ConfigurationProperties("concierge.resilience")
public record ResilienceProperties(
        @DefaultValue("2") int retries,
        @DefaultValue("100ms") Duration retryBackoff,
        @DefaultValue("1s") Duration retryMaxBackoff,
        @DefaultValue Breaker breaker) {

    public ResilienceProperties {
        if (retries < 0) {
            throw new IllegalArgumentException("concierge.resilience.retries must not be negative");
        }
        if (retryBackoff == null || retryBackoff.isNegative() || retryMaxBackoff == null
                || retryMaxBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("concierge.resilience.retry-backoff must be >= 0 and <= retry-max-backoff");
        }
    }

    /**
     * One circuit breaker per service: it opens when at least {@code failureRate} percent of the last
     * {@code window} calls failed (once {@code minimumCalls} were made), answers every request with 503 for
     * {@code openFor}, then lets {@code halfOpenCalls} through to test the service. A failure is a connection that
     * failed, a response timeout, or an answer 502, 503 or 504 from the service.
     */
    public record Breaker(
            @DefaultValue("20") int window,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("50") float failureRate,
            @DefaultValue("15s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls) {

        public Breaker {
            if (window < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
                throw new IllegalArgumentException("concierge.resilience.breaker window, minimum-calls and "
                        + "half-open-calls must be at least 1");
            }
            if (failureRate <= 0 || failureRate > 100) {
                throw new IllegalArgumentException("concierge.resilience.breaker.failure-rate must be in (0, 100]");
            }
            if (openFor == null || openFor.isNegative() || openFor.isZero()) {
                throw new IllegalArgumentException("concierge.resilience.breaker.open-for must be positive");
            }
        }
    }
}
