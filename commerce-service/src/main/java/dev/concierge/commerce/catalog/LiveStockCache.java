package dev.concierge.commerce.catalog;

import dev.concierge.commerce.config.CommerceProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Stock read live from stores, reused for {@code COMMERCE_LIVE_TTL} and dropped at once when a webhook or a sync
 * says the product changed. Per instance, in memory: it only saves calls to the store, never answers stale for
 * longer than the TTL.
 */
@Component
public class LiveStockCache {

    /** Live stock of one product and its variations, as read at {@code checkedAt}. */
    public record LiveStock(long productId, String stockStatus, Integer stockQuantity, boolean manageStock,
                            String price, List<VariationStock> variations, Instant checkedAt) {
    }

    public record VariationStock(long id, String sku, String stockStatus, Integer stockQuantity, String price) {
    }

    private record Key(String tenantId, long productId) {
    }

    private final Map<Key, LiveStock> entries = new ConcurrentHashMap<>();
    private final CommerceProperties props;
    private final Clock clock;

    public LiveStockCache(CommerceProperties props) {
        this.props = props;
        this.clock = Clock.systemUTC();
    }

    /** A fresh entry, or null. */
    public LiveStock get(String tenantId, long productId) {
        LiveStock s = entries.get(new Key(tenantId, productId));
        if (s == null) {
            return null;
        }
        if (s.checkedAt().plus(props.liveTtl()).isBefore(clock.instant())) {
            entries.remove(new Key(tenantId, productId), s);
            return null;
        }
        return s;
    }

    public void put(String tenantId, LiveStock stock) {
        entries.put(new Key(tenantId, stock.productId()), stock);
    }

    public void invalidate(String tenantId, long productId) {
        entries.remove(new Key(tenantId, productId));
    }

    public void invalidateTenant(String tenantId) {
        entries.keySet().removeIf(k -> k.tenantId().equals(tenantId));
    }
}
