package dev.concierge.commerce.catalog;

import dev.concierge.contracts.ProductChanged;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code commerce.product-changed.v1}, keyed by tenant id + product id, with CloudEvents headers (service-kit). */
@Component
public class ProductChangedPublisher {

    private static final Logger log = LoggerFactory.getLogger(ProductChangedPublisher.class);

    private final EventPublisher events;

    public ProductChangedPublisher(EventPublisher events) {
        this.events = events;
    }

    /**
     * Publishes and waits for the broker's acknowledgement (off the event loop: the Kafka producer may block on
     * metadata). A failure is logged and swallowed: the catalog change is already stored, and the next sync
     * publishes nothing for it, so subscribers may miss it; an outbox would close that gap.
     */
    public Mono<Void> publish(ProductChanged event) {
        return Mono.fromFuture(() -> events.publish(Topics.PRODUCT_CHANGED, event.eventKey(), event))
                .subscribeOn(Schedulers.boundedElastic())
                .then()
                .onErrorResume(e -> {
                    log.warn("could not publish {} for product {} of tenant {}: {}", Topics.PRODUCT_CHANGED.name(),
                            event.productId(), event.tenantId(), e.toString());
                    return Mono.empty();
                });
    }
}
