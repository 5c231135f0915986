package dev.concierge.commerce.webhooks;

import dev.concierge.commerce.config.CommerceProperties;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Hourly: forgets webhook delivery ids older than 7 days (WooCommerce retries a failed delivery for far less)
 * and failed order lookups older than the lookup window, so neither table grows without bound.
 */
@Component
class DeliveryLogPruner {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLogPruner.class);
    static final Duration KEEP_DELIVERIES = Duration.ofDays(7);

    private final DatabaseClient db;
    private final CommerceProperties props;
    private Disposable ticks;

    DeliveryLogPruner(DatabaseClient db, CommerceProperties props) {
        this.db = db;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ticks = Flux.interval(Duration.ofMinutes(1), Duration.ofHours(1))
                .onBackpressureDrop()
                .concatMap(tick -> prune().onErrorResume(e -> {
                    log.warn("pruning webhook deliveries and lookup failures failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    Mono<Void> prune() {
        return db.sql("delete from webhook_deliveries where received_at < :before")
                .bind("before", Instant.now().minus(KEEP_DELIVERIES)).then()
                .then(db.sql("delete from order_lookup_failures where failed_at < :before")
                        .bind("before", Instant.now().minus(props.lookupWindow())).then());
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.dispose();
        }
    }
}
