package dev.concierge.gateway.tenants;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.concierge.gateway.tenants.internal.TenantCache;
import dev.concierge.gateway.tenants.internal.TenantKeys;
import dev.concierge.gateway.tenants.internal.TenantRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tenants and their keys. Lookups used to authenticate requests (by key, by domain) go through a short-lived
 * cache; administrative reads always ask the database.
 */
@Service
public class TenantRegistry {

    private final TenantRepository repository;
    private final TenantCache cache;

    public TenantRegistry(TenantRepository repository, TenantCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    /**
     * Registers a tenant with fresh keys.
     *
     * @param domain a domain normalised by {@code Domains.normalise}
     * @return the tenant with its keys in clear, which nothing else ever returns again; fails with a
     *         {@code DataIntegrityViolationException} when the domain is taken
     */
    public Mono<RegisteredTenant> register(String domain, String name, List<String> allowedOrigins) {
        String apiKey = TenantKeys.newApiKey();
        String widgetKey = TenantKeys.newWidgetKey();
        Tenant tenant = new Tenant(UUID.randomUUID(), domain, name, allowedOrigins, TenantStatus.ACTIVE,
                TenantKeys.displayPrefix(apiKey), TenantKeys.displayPrefix(widgetKey), null);
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

    /** The tenant whose API key ({@code ck_live_...}) this is (cached). */
    public Mono<Tenant> findByApiKey(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(TenantKeys.API_KEY_PREFIX)) {
            return Mono.empty();
        }
        String hash = TenantKeys.hash(apiKey);
        return cache.get("api-key:" + hash, () -> repository.findByApiKeyHash(hash));
    }

    /** The tenant whose widget key ({@code cw_...}) this is (cached). */
    public Mono<Tenant> findByWidgetKey(String widgetKey) {
        if (widgetKey == null || !widgetKey.startsWith(TenantKeys.WIDGET_KEY_PREFIX)) {
            return Mono.empty();
        }
        String hash = TenantKeys.hash(widgetKey);
        return cache.get("widget-key:" + hash, () -> repository.findByWidgetKeyHash(hash));
    }

    /** Enables or disables a tenant; takes effect at once on this instance. */
    public Mono<Tenant> changeStatus(UUID id, TenantStatus status) {
        return repository.updateStatus(id, status)
                .doOnNext(tenant -> cache.evict(tenant.id()));
    }
}
