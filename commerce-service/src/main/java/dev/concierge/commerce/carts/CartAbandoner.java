package dev.concierge.commerce.carts;

import dev.concierge.contracts.CartAbandoned;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every {@code COMMERCE_CART_SWEEP} looks for carts idle for longer than {@code COMMERCE_CART_ABANDON_AFTER}
 * (default 1 h) and publishes each on {@code commerce.cart-abandoned.v1}, once per idle period. The cart is
 * marked before it is published and the publication waits for the broker; a cart whose event could not be
 * published is put back to active so the next sweep tries again (at-least-once).
 */
@Component
class CartAbandoner {

    private static final Logger log = LoggerFactory.getLogger(CartAbandoner.class);
    private static final int BATCH = 200;

    private final Carts carts;
    private final EventPublisher events;
    private final Duration idle;
    private final Duration sweep;
    private Disposable ticks;

    CartAbandoner(Carts carts, EventPublisher events,
                  @Value("${commerce.cart-abandon-after:${COMMERCE_CART_ABANDON_AFTER:PT1H}}") Duration idle,
                  @Value("${commerce.cart-sweep:${COMMERCE_CART_SWEEP:PT1M}}") Duration sweep) {
        this.carts = carts;
        this.events = events;
        this.idle = idle;
        this.sweep = sweep;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ticks = Flux.interval(sweep, sweep)
                .onBackpressureDrop()
                .concatMap(tick -> sweepOnce().onErrorResume(e -> {
                    log.warn("abandoned-cart sweep failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** One sweep; emits how many carts were published as abandoned. */
    Mono<Long> sweepOnce() {
        return carts.abandonIdle(idle, BATCH)
                .concatMap(cart -> Mono.fromFuture(() -> events.publish(Topics.CART_ABANDONED,
                                CartAbandoned.key(cart.tenantId(), cart.sessionId()), cart))
                        .subscribeOn(Schedulers.boundedElastic())
                        .thenReturn(1L)
                        .onErrorResume(e -> {
                            log.warn("cart of session {} (tenant {}) not published as abandoned: {}", cart.sessionId(),
                                    cart.tenantId(), e.toString());
                            return carts.reactivate(cart.tenantId(), cart.sessionId(), cart.abandonedAt()).thenReturn(0L);
                        }))
                .reduce(0L, Long::sum);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.dispose();
        }
    }
}
