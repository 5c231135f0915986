package dev.concierge.gateway.resilience;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.ResilienceProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One resilience4j circuit breaker per service behind the gateway (not per route: the chat and conversation routes
 * share chat-service's), configured by {@code concierge.resilience.breaker}. State changes are logged; states and
 * calls are in {@code /actuator/prometheus} ({@code resilience4j_circuitbreaker_*}).
 */
@Component
public class DownstreamBreakers {

    private static final Logger log = LoggerFactory.getLogger(DownstreamBreakers.class);

    private final CircuitBreakerRegistry registry;
    private final Duration openFor;

    public DownstreamBreakers(ResilienceProperties properties, ObjectProvider<MeterRegistry> meters) {
        ResilienceProperties.Breaker breaker = properties.breaker();
        this.openFor = breaker.openFor();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.window())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRate())
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // Long answers (streamed chat) are no failure: only errors count.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .recordException(e -> true)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        this.registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(event -> {
                    CircuitBreaker.StateTransition transition = event.getStateTransition();
                    if (transition.getToState() == CircuitBreaker.State.OPEN) {
                        log.warn("Circuit breaker for {} opened: requests get 503 for {} s", event.getCircuitBreakerName(),
                                openFor.toSeconds());
                    } else {
                        log.info("Circuit breaker for {}: {} -> {}", event.getCircuitBreakerName(),
                                transition.getFromState(), transition.getToState());
                    }
                }));
        MeterRegistry meterRegistry = meters.getIfAvailable();
        if (meterRegistry != null) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meterRegistry);
        }
    }

    /** The breaker of the service named {@code service} ({@code chat-service}, ...). */
    public CircuitBreaker of(String service) {
        return registry.circuitBreaker(service);
    }

    /** How long an open breaker refuses calls. */
    public Duration openFor() {
        return openFor;
    }

    /** Closes and empties every breaker (tests, and operators via a restart). */
    public void resetAll() {
        registry.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }
}
