package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A product of a tenant's connected store was created, updated or deleted, as commerce-service saw it
 * (catalog sync or a store webhook), published on {@link Topics#PRODUCT_CHANGED} only when something
 * actually changed. Key: {@link #eventKey()} (tenant id + product id), so one product's events stay in order.
 *
 * @param productId the store's product id (WooCommerce integer id)
 * @param change    {@code created}, {@code updated} or {@code deleted}
 * @param product   the product as it is now; null when {@code change} is {@code deleted}
 * @param changedAt when commerce-service saw the change
 */
public record ProductChanged(
        String tenantId,
        long productId,
        String change,
        Snapshot product,
        Instant changedAt) {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    /** The record key: tenant id + product id. */
    public String eventKey() {
        return key(tenantId, productId);
    }

    public static String key(String tenantId, long productId) {
        return tenantId + ":" + productId;
    }

    /**
     * What shoppers may be told about a product. Prices are decimal strings in the store's currency
     * (WooCommerce's own format), null when the store has none.
     */
    public record Snapshot(
            String name,
            String sku,
            String price,
            String currency,
            String stockStatus,
            Integer stockQuantity,
            String permalink,
            List<String> categories,
            String shortDescription,
            List<Variation> variations) {

        public Snapshot {
            categories = categories == null ? List.of() : List.copyOf(categories);
            variations = variations == null ? List.of() : List.copyOf(variations);
        }
    }

    /** One variation of a variable product, summarised. */
    public record Variation(long id, String sku, List<Attribute> attributes, String price, String stockStatus,
                            Integer stockQuantity) {

        public Variation {
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
        }
    }

    /** A variation's attribute value, e.g. {@code Size = M}. */
    public record Attribute(String name, String option) {
    }
}
