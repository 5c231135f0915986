package dev.concierge.commerce.catalog;

import dev.concierge.commerce.config.CommerceProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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

    private static final int MAX_ENTRIES = 10_000;

    private final Map<Key, LiveStock> entries = new ConcurrentHashMap<>();
    /** Bumped by every invalidation: a read that began before one does not cache what it read. */
    private final AtomicLong generation = new AtomicLong();
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

    /** The current generation: take it before reading the store, hand it to {@link #put}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what a live read found, unless something was invalidated since the read began ({@code startedIn}): a
     * webhook or a disconnect during the read may make it stale. Bounded: expired entries go first.
     */
    public void put(String tenantId, LiveStock stock, long startedIn) {
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            entries.values().removeIf(s -> s.checkedAt().plus(props.liveTtl()).isBefore(now));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        Key key = new Key(tenantId, stock.productId());
        entries.put(key, stock);
        if (generation.get() != startedIn) {
            entries.remove(key, stock);
        }
    }

    public void invalidate(String tenantId, long productId) {
        generation.incrementAndGet();
        entries.remove(new Key(tenantId, productId));
    }

    public void invalidateTenant(String tenantId) {
        generation.incrementAndGet();
        entries.keySet().removeIf(k -> k.tenantId().equals(tenantId));
    }
}
