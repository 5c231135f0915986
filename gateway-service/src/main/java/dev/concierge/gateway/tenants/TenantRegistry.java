package dev.concierge.gateway.tenants;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.concierge.gateway.config.KeyProperties;
import dev.concierge.gateway.tenants.internal.TenantCache;
import dev.concierge.gateway.tenants.internal.TenantKeys;
import dev.concierge.gateway.tenants.internal.TenantRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tenants and their keys. Lookups used to authenticate requests (by key, by domain) go through a short-lived
 * cache; administrative reads always ask the database. Changes made here evict this instance's cache at once;
 * other instances see them within the cache TTL.
 */
@Service
public class TenantRegistry {

    private final TenantRepository repository;
    private final TenantCache cache;
    private final KeyProperties keys;

    public TenantRegistry(TenantRepository repository, TenantCache cache, KeyProperties keys) {
        this.repository = repository;
        this.cache = cache;
        this.keys = keys;
    }

    /** A tenant about to be registered: checked and normalised fields (see {@code CreateTenantRequest}). */
    public record Registration(String domain, String name, List<String> allowedOrigins, String rateLimitPlan,
            String supportEmail) {
    }

    /**
     * Registers a tenant with fresh keys.
     *
     * @return the tenant with its keys in clear, which nothing else ever returns again; fails with a
     *         {@code DataIntegrityViolationException} when the domain is taken
     */
    public Mono<RegisteredTenant> register(Registration registration) {
        String apiKey = TenantKeys.newApiKey();
        String widgetKey = TenantKeys.newWidgetKey();
        Tenant tenant = new Tenant(UUID.randomUUID(), registration.domain(), registration.name(),
                registration.allowedOrigins(), registration.rateLimitPlan(), registration.supportEmail(),
                TenantStatus.ACTIVE, TenantKeys.displayPrefix(apiKey), TenantKeys.displayPrefix(widgetKey), null);
        return repository.insert(tenant, TenantKeys.hash(apiKey), TenantKeys.hash(widgetKey))
                .map(stored -> new RegisteredTenant(stored, apiKey, widgetKey));
    }

    public Mono<Tenant> findById(UUID id) {
        return repository.findById(id);
    }

    public Flux<Tenant> findAll() {
        return repository.findAll();
    }

    /** The tenant of a normalised domain (cached). */
    public Mono<Tenant> findByDomain(String domain) {
        return cache.get("domain:" + domain, () -> repository.findByDomain(domain));
    }

    /**
     * The tenant whose API key ({@code ck_live_...}) this is, current or rotated out less than the grace period
     * ago (cached, a rotated-out key no longer than its grace period lasts).
     */
    public Mono<Tenant> findByApiKey(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(TenantKeys.API_KEY_PREFIX)) {
            return Mono.empty();
        }
        String hash = TenantKeys.hash(apiKey);
        return cache.getExpiring("api-key:" + hash, () -> repository.findByKeyHash(KeyKind.API_KEY, hash));
    }

    /** The tenant whose widget key ({@code cw_...}) this is; like {@link #findByApiKey}. */
    public Mono<Tenant> findByWidgetKey(String widgetKey) {
        if (widgetKey == null || !widgetKey.startsWith(TenantKeys.WIDGET_KEY_PREFIX)) {
            return Mono.empty();
        }
        String hash = TenantKeys.hash(widgetKey);
        return cache.getExpiring("widget-key:" + hash, () -> repository.findByKeyHash(KeyKind.WIDGET_KEY, hash));
    }

    /** Applies the changes (status, settings); takes effect at once on this instance. Empty for no such tenant. */
    public Mono<Tenant> update(UUID id, TenantChanges changes) {
        return repository.update(id, changes)
                .doOnNext(tenant -> cache.evict(tenant.id()));
    }

    /**
     * Gives the tenant a new key of this kind. The key it replaces keeps working for the configured grace period
     * ({@code concierge.keys.rotation-grace}), then is refused. Empty for no such tenant.
     */
    public Mono<RotatedKey> rotateKey(UUID id, KeyKind kind) {
        String newKey = kind == KeyKind.API_KEY ? TenantKeys.newApiKey() : TenantKeys.newWidgetKey();
        return repository.rotateKey(id, kind, newKey, TenantKeys.hash(newKey), TenantKeys.displayPrefix(newKey),
                        keys.rotationGrace())
                .doOnNext(rotated -> cache.evict(rotated.tenant().id()));
    }
}
