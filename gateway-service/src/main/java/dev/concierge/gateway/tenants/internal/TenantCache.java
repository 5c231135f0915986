package dev.concierge.gateway.tenants.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.GatewayProperties;
import dev.concierge.gateway.tenants.Tenant;
import reactor.core.publisher.Mono;

/**
 * Tenants found by key hash or domain, kept for a short time so authenticating a request rarely needs the
 * database. Misses are cached only for key lookups ({@link #getExpiringOrMiss}): a key is random, so one that is
 * not found now cannot become valid later (a domain can: the tenant may be about to be registered), and a client
 * repeating a wrong or revoked key then costs no database query per request. Both kinds are bounded.
 * Eviction bumps a generation counter, so a lookup that started before a change cannot put its stale result
 * back after the change evicted it. Each gateway instance has its own cache: a change made through another
 * instance shows here within the TTL at the latest. A lookup can also bound its own lifetime ({@link Expiring}): a
 * rotated-out key is not remembered past the end of its grace period.
 */
@Component
public class TenantCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Tenant tenant, long expiresAtNanos) {
    }

    /**
     * A tenant found by a lookup whose answer holds only for a while.
     *
     * @param validFor how long the answer holds; {@code null} for as long as the tenant is unchanged
     */
    public record Expiring(Tenant tenant, Duration validFor) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Key lookups that found nothing, until when. */
    private final Map<String, Long> misses = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    @Autowired
    public TenantCache(GatewayProperties properties) {
        this(properties.tenantCacheTtl(), System::nanoTime);
    }

    TenantCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The cached tenant under {@code key}, else whatever {@code loader} finds (cached when found). */
    public Mono<Tenant> get(String key, Supplier<Mono<Tenant>> loader) {
        return getExpiring(key, () -> loader.get().map(tenant -> new Expiring(tenant, null)));
    }

    /**
     * The cached tenant under {@code key}, else whatever {@code loader} finds, cached for the TTL or the time the
     * answer holds, whichever is shorter.
     */
    public Mono<Tenant> getExpiring(String key, Supplier<Mono<Expiring>> loader) {
        if (ttlNanos <= 0) {
            return Mono.defer(loader).map(Expiring::tenant);
        }
        return Mono.defer(() -> {
            long now = nanoClock.getAsLong();
            Entry entry = entries.get(key);
            if (entry != null && entry.expiresAtNanos() - now > 0) {
                return Mono.just(entry.tenant());
            }
            long startedIn = generation.get();
            return loader.get().doOnNext(found -> put(key, found, startedIn)).map(Expiring::tenant);
        });
    }

    /**
     * Like {@link #getExpiring}, and a lookup that finds nothing is remembered for the TTL too: for keys only,
     * whose misses cannot turn into hits.
     */
    public Mono<Tenant> getExpiringOrMiss(String key, Supplier<Mono<Expiring>> loader) {
        if (ttlNanos <= 0) {
            return getExpiring(key, loader);
        }
        return Mono.defer(() -> {
            Long missUntil = misses.get(key);
            if (missUntil != null && missUntil - nanoClock.getAsLong() > 0) {
                return Mono.empty();
            }
            return getExpiring(key, loader).switchIfEmpty(Mono.fromRunnable(() -> {
                long now = nanoClock.getAsLong();
                if (misses.size() >= MAX_ENTRIES) {
                    misses.values().removeIf(until -> until - now <= 0);
                    if (misses.size() >= MAX_ENTRIES) {
                        misses.clear();
                    }
                }
                misses.put(key, now + ttlNanos);
            }));
        });
    }

    private void put(String key, Expiring found, long startedIn) {
        long lifetime = found.validFor() == null ? ttlNanos : Math.min(ttlNanos, found.validFor().toNanos());
        if (lifetime <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            long now = nanoClock.getAsLong();
            entries.values().removeIf(entry -> entry.expiresAtNanos() - now <= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(found.tenant(), nanoClock.getAsLong() + lifetime));
        if (generation.get() != startedIn) {
            // Something was evicted while this lookup ran; its result may predate that change.
            entries.remove(key);
        }
    }

    /** Forgets every entry of the tenant (after a change to it). */
    public void evict(UUID tenantId) {
        generation.incrementAndGet();
        entries.values().removeIf(entry -> entry.tenant().id().equals(tenantId));
    }

    /** Forgets everything. */
    public void clear() {
        generation.incrementAndGet();
        entries.clear();
        misses.clear();
    }
}
