package dev.concierge.search.products;

import dev.concierge.contracts.ProductChanged;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * commerce.product-changed.v1 → the product's document in the index ({@link ProductDocuments}). Events of one
 * product share a key, so they arrive in order; applying one twice yields the same rows. A malformed event
 * throws and ends in {@code commerce.product-changed.v1.dlt} after bounded retries; a database or model
 * outage is retried (service-kit's policy).
 */
@Component
class ProductChangedListener {

    private static final Logger log = LoggerFactory.getLogger(ProductChangedListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final JsonMapper json;
    private final ProductDocuments documents;

    ProductChangedListener(JsonMapper json, ProductDocuments documents) {
        this.json = json;
        this.documents = documents;
    }

    @KafkaListener(topics = "#{T(dev.concierge.contracts.Topics).PRODUCT_CHANGED.name()}")
    void onProductChanged(String value) {
        ProductChanged event = json.readValue(value, ProductChanged.class);
        if (event.tenantId() == null || event.tenantId().isBlank() || event.change() == null
                || !(ProductChanged.DELETED.equals(event.change()) || event.product() != null)) {
            throw new IllegalArgumentException("not a commerce.product-changed.v1 event: tenant_id, change and "
                    + "(unless deleted) product are required");
        }
        String outcome = documents.apply(event).block(TIMEOUT);
        log.debug("product {} of tenant {} {}: {}", event.productId(), event.tenantId(), event.change(), outcome);
    }
}
