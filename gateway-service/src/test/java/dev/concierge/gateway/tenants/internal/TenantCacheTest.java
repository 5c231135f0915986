package dev.concierge.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantStatus;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class TenantCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final TenantCache cache = new TenantCache(Duration.ofSeconds(30), now::get);
    private final AtomicInteger loads = new AtomicInteger();

    private static Tenant tenant(UUID id, TenantStatus status) {
        return new Tenant(id, "shop.example", "Shop", List.of(), "standard", null, status, "ck_live_abcd", "cw_abcd",
                Instant.EPOCH, null, Instant.EPOCH);
    }

    private Mono<Tenant> load(Tenant tenant) {
        return Mono.fromSupplier(() -> {
            loads.incrementAndGet();
            return tenant;
        });
    }

    @Test
    void reusesAFoundTenantUntilTheTtlPasses() {
        Tenant tenant = tenant(UUID.randomUUID(), TenantStatus.ACTIVE);

        assertThat(cache.get("k", () -> load(tenant)).block()).isEqualTo(tenant);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(cache.get("k", () -> load(tenant)).block()).isEqualTo(tenant);
        assertThat(loads).hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.get("k", () -> load(tenant)).block();
        assertThat(loads).hasValue(2);
    }

    @Test
    void doesNotRememberMisses() {
        cache.get("k", Mono::empty).block();
        Tenant tenant = tenant(UUID.randomUUID(), TenantStatus.ACTIVE);
        assertThat(cache.get("k", () -> load(tenant)).block()).isEqualTo(tenant);
    }

    @Test
    void remembersAKeyThatWasNotFoundUntilTheTtlPasses() {
        AtomicInteger misses = new AtomicInteger();
        java.util.function.Supplier<Mono<TenantCache.Expiring>> nothing = () -> Mono.fromRunnable(misses::incrementAndGet);

        assertThat(cache.getExpiringOrMiss("api-key:x", nothing).blockOptional()).isEmpty();
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(cache.getExpiringOrMiss("api-key:x", nothing).blockOptional()).isEmpty();
        assertThat(misses).hasValue(1); // the second wrong key cost no lookup

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.getExpiringOrMiss("api-key:x", nothing).blockOptional()).isEmpty();
        assertThat(misses).hasValue(2);

        Tenant tenant = tenant(UUID.randomUUID(), TenantStatus.ACTIVE);
        cache.clear();
        assertThat(cache.getExpiringOrMiss("api-key:x", () -> load(tenant).map(t -> new TenantCache.Expiring(t, null)))
                .block()).isEqualTo(tenant);
    }

    @Test
    void forgetsATenantWhenEvicted() {
        UUID id = UUID.randomUUID();
        cache.get("by-key", () -> load(tenant(id, TenantStatus.ACTIVE))).block();
        cache.get("by-domain", () -> load(tenant(id, TenantStatus.ACTIVE))).block();

        cache.evict(id);

        Tenant disabled = tenant(id, TenantStatus.DISABLED);
        assertThat(cache.get("by-key", () -> load(disabled)).block()).isEqualTo(disabled);
        assertThat(cache.get("by-domain", () -> load(disabled)).block()).isEqualTo(disabled);
    }

    @Test
    void doesNotKeepALookupThatStartedBeforeAnEviction() {
        UUID id = UUID.randomUUID();
        Sinks.One<Tenant> slowLoad = Sinks.one();
        Mono<Tenant> inFlight = cache.get("k", slowLoad::asMono).cache();
        inFlight.subscribe();

        cache.evict(id); // the tenant changed while the lookup was running
        slowLoad.tryEmitValue(tenant(id, TenantStatus.ACTIVE));
        assertThat(inFlight.block().status()).isEqualTo(TenantStatus.ACTIVE);

        Tenant fresh = tenant(id, TenantStatus.DISABLED);
        assertThat(cache.get("k", () -> load(fresh)).block()).isEqualTo(fresh);
    }

    @Test
    void keepsAnExpiringAnswerNoLongerThanItHolds() {
        Tenant tenant = tenant(UUID.randomUUID(), TenantStatus.ACTIVE);
        java.util.function.Supplier<Mono<TenantCache.Expiring>> rotatedOutKey = () -> {
            loads.incrementAndGet();
            return Mono.just(new TenantCache.Expiring(tenant, Duration.ofSeconds(3)));
        };

        cache.getExpiring("old-key", rotatedOutKey).block();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.getExpiring("old-key", rotatedOutKey).block();
        assertThat(loads).hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos()); // past the 3 s, well within the 30 s TTL
        cache.getExpiring("old-key", rotatedOutKey).block();
        assertThat(loads).hasValue(2);
    }

    @Test
    void cachesNothingWithAZeroTtl() {
        TenantCache off = new TenantCache(Duration.ZERO, now::get);
        Tenant tenant = tenant(UUID.randomUUID(), TenantStatus.ACTIVE);
        off.get("k", () -> load(tenant)).block();
        off.get("k", () -> load(tenant)).block();
        assertThat(loads).hasValue(2);
    }
}
