package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A shopper's cart went idle: published by commerce-service on {@link Topics#CART_ABANDONED} once a cart it
 * tracks (from the store or the widget, {@code PUT /api/commerce/carts/{session_id}}) has had no update for the
 * abandonment threshold and was neither checked out nor emptied. Published once per idle period: an update
 * revives the cart, and a later idle period is published again. Carries no personal data: the session id is
 * the widget's random id. Key: {@link #key} (tenant id + session id).
 *
 * @param total            the cart's total as the store reported it (decimal string), null if unknown
 * @param lastActivityAt   the cart's last update
 * @param abandonedAt      when commerce-service declared it abandoned
 */
public record CartAbandoned(
        String tenantId,
        String sessionId,
        List<Item> items,
        String total,
        String currency,
        Instant lastActivityAt,
        Instant abandonedAt) {

    public CartAbandoned {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static String key(String tenantId, String sessionId) {
        return tenantId + ":" + sessionId;
    }

    /** One line of the cart. */
    public record Item(Long productId, String sku, String name, int quantity, String price) {
    }
}
