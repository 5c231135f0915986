package dev.concierge.commerce.catalog;

import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.ProductChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A store product as commerce-service keeps it: WooCommerce's fields, cleaned (HTML stripped, prices parsed). */
public record ProductRecord(long productId, String name, String sku, String type, String status, BigDecimal price,
                            BigDecimal regularPrice, BigDecimal salePrice, String currency, String stockStatus,
                            Integer stockQuantity, boolean manageStock, List<String> categories, String permalink,
                            String shortDescription, Instant dateModified, List<Variation> variations) {

    public ProductRecord {
        categories = categories == null ? List.of() : List.copyOf(categories);
        variations = variations == null ? List.of() : List.copyOf(variations);
    }

    public record Variation(long id, String sku, List<ProductChanged.Attribute> attributes, BigDecimal price,
                            BigDecimal regularPrice, BigDecimal salePrice, String stockStatus, Integer stockQuantity,
                            boolean manageStock) {
    }

    public boolean published() {
        return "publish".equals(status);
    }

    /**
     * A fingerprint of everything we keep and publish, except {@code date_modified}: a product saved in the store
     * without a real change is "unchanged" and publishes nothing.
     */
    public String contentHash() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append('|').append(sku).append('|').append(type).append('|').append(status).append('|')
                .append(money(price)).append('|').append(money(regularPrice)).append('|').append(money(salePrice)).append('|')
                .append(currency).append('|').append(stockStatus).append('|').append(stockQuantity).append('|')
                .append(manageStock).append('|').append(categories).append('|').append(permalink).append('|')
                .append(shortDescription);
        for (Variation v : variations) {
            sb.append("|v").append(v.id()).append(',').append(v.sku()).append(',').append(v.attributes()).append(',')
                    .append(money(v.price())).append(',').append(money(v.regularPrice())).append(',')
                    .append(money(v.salePrice())).append(',').append(v.stockStatus()).append(',')
                    .append(v.stockQuantity()).append(',').append(v.manageStock());
        }
        return EventKeys.sha256(sb.toString());
    }

    public ProductChanged.Snapshot snapshot() {
        return new ProductChanged.Snapshot(name, sku, money(price), currency, stockStatus, stockQuantity, permalink,
                categories, shortDescription, variations.stream()
                .map(v -> new ProductChanged.Variation(v.id(), v.sku(), v.attributes(), money(v.price()), v.stockStatus(),
                        v.stockQuantity()))
                .toList());
    }

    /** WooCommerce's money format: a plain decimal string, two places at least; null stays null. */
    public static String money(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal v = value.stripTrailingZeros();
        return (v.scale() < 2 ? v.setScale(2) : v).toPlainString();
    }
}
