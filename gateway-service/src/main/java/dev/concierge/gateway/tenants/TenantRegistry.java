package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.concierge.contracts.TenantUpdated;
import dev.concierge.gateway.config.KeyProperties;
import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.internal.TenantCache;
import dev.concierge.gateway.tenants.internal.TenantEventOutbox;
import dev.concierge.gateway.tenants.internal.TenantKeys;
import dev.concierge.gateway.tenants.internal.TenantRepository;
import dev.concierge.gateway.tenants.internal.TenantSecrets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tenants and their keys. Lookups used to authenticate requests (by key, by domain) go through a short-lived
 * cache; administrative reads always ask the database. Changes made here evict this instance's cache at once;
 * other instances see them within the cache TTL.
 * <p>
 * Every change (registration, settings, status, verification, key rotation) writes its
 * {@code tenant.tenant-updated.v1} event to the outbox in the same transaction; {@link TenantUpdatedPublisher}
 * sends it to Kafka afterwards. A change therefore never fails because Kafka is down, and no event is published
 * for a change that was rolled back.
 */
@Service
public class TenantRegistry {

    private final TenantRepository repository;
    private final TenantCache cache;
    private final KeyProperties keys;
    private final TenantEventOutbox outbox;
    private final TransactionalOperator transactions;
    private final JsonMapper json;
    private final TenantUpdatedPublisher publisher;
    private final TenantSecrets secrets;

    public TenantRegistry(TenantRepository repository, TenantCache cache, KeyProperties keys, TenantEventOutbox outbox,
            TransactionalOperator transactions, JsonMapper json, TenantUpdatedPublisher publisher,
            TenantSecrets secrets) {
        this.secrets = secrets;
        this.repository = repository;
        this.cache = cache;
        this.keys = keys;
        this.outbox = outbox;
        this.transactions = transactions;
        this.json = json;
        this.publisher = publisher;
    }

    /**
     * A tenant about to be registered: checked and normalised fields (see {@code CreateTenantRequest}).
     *
     * @param llm the language model asked for; {@code null} for the platform's default
     */
    public record Registration(String domain, String name, List<String> allowedOrigins, String rateLimitPlan,
            String supportEmail, LlmSetting llm) {
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
        UUID id = UUID.randomUUID();
        TenantLlm llm = registration.llm() == null ? null : resolveLlm(id, null, registration.llm());
        Tenant tenant = new Tenant(id, registration.domain(), registration.name(),
                registration.allowedOrigins(), registration.rateLimitPlan(), registration.supportEmail(),
                TenantStatus.ACTIVE, TenantKeys.displayPrefix(apiKey), TenantKeys.displayPrefix(widgetKey), null, null,
                null, llm);
        return repository.insert(tenant, TenantKeys.hash(apiKey), TenantKeys.hash(widgetKey))
                .flatMap(stored -> recordChange(stored, List.of(TenantUpdated.CREATED)).thenReturn(stored))
                .as(transactions::transactional)
                .doOnSuccess(this::published)
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
        return cache.getExpiringOrMiss("api-key:" + hash, () -> repository.findByKeyHash(KeyKind.API_KEY, hash));
    }

    /** The tenant whose widget key ({@code cw_...}) this is; like {@link #findByApiKey}. */
    public Mono<Tenant> findByWidgetKey(String widgetKey) {
        if (widgetKey == null || !widgetKey.startsWith(TenantKeys.WIDGET_KEY_PREFIX)) {
            return Mono.empty();
        }
        String hash = TenantKeys.hash(widgetKey);
        return cache.getExpiringOrMiss("widget-key:" + hash, () -> repository.findByKeyHash(KeyKind.WIDGET_KEY, hash));
    }

    /**
     * Applies the changes (status, settings); takes effect at once on this instance. Fields set to the value they
     * already have change nothing and are not reported as changed; a request that changes nothing publishes no
     * event. Empty for no such tenant; a {@link ProblemException} (400) when the language model asked for needs
     * an API key the tenant has not stored (see {@link #resolveLlm}).
     */
    public Mono<Tenant> update(UUID id, TenantChanges changes) {
        return repository.lockById(id)
                .flatMap(current -> {
                    TenantChanges effective = changes.relativeTo(current);
                    Optional<TenantLlm> llm = null;
                    if (effective.llm() != null) {
                        TenantLlm resolved = effective.llm().map(asked -> resolveLlm(id, current.llm(), asked))
                                .orElse(null);
                        if (sameLlm(id, current.llm(), resolved, effective.llm().orElse(null))) {
                            effective = effective.withLlm(null);
                        } else {
                            llm = Optional.ofNullable(resolved);
                        }
                    }
                    if (effective.isEmpty()) {
                        return Mono.just(current);
                    }
                    TenantChanges applied = effective;
                    return repository.update(id, applied, llm)
                            .flatMap(updated -> recordChange(updated, applied.fieldNames()).thenReturn(updated));
                })
                .as(transactions::transactional)
                .doOnNext(tenant -> cache.evict(tenant.id()))
                .doOnSuccess(this::published);
    }

    /**
     * Gives the tenant a new key of this kind. The key it replaces keeps working for the configured grace period
     * ({@code concierge.keys.rotation-grace}), then is refused. Empty for no such tenant.
     */
    public Mono<RotatedKey> rotateKey(UUID id, KeyKind kind) {
        String newKey = kind == KeyKind.API_KEY ? TenantKeys.newApiKey() : TenantKeys.newWidgetKey();
        return repository.rotateKey(id, kind, newKey, TenantKeys.hash(newKey), TenantKeys.displayPrefix(newKey),
                        keys.rotationGrace())
                .flatMap(rotated -> recordChange(rotated.tenant(), List.of(kind.value())).thenReturn(rotated))
                .as(transactions::transactional)
                .doOnNext(rotated -> cache.evict(rotated.tenant().id()))
                .doOnSuccess(this::published);
    }

    /** Stores a new domain-verification token for the tenant, replacing any earlier one. Empty for no such tenant. */
    public Mono<VerificationToken> issueVerificationToken(UUID id, String token) {
        return repository.storeVerificationToken(id, token);
    }

    /** The tenant with its current verification token ({@code null} when none was issued). */
    public Mono<VerificationToken> findVerificationToken(UUID id) {
        return repository.findWithVerificationToken(id);
    }

    /**
     * Records that the tenant proved it controls its domain, now, by {@code method}. Verifying an already verified
     * tenant again only updates when and how. Empty for no such tenant.
     */
    public Mono<Tenant> markVerified(UUID id, VerificationMethod method) {
        return repository.lockById(id)
                .flatMap(current -> repository.markVerified(id, method.value(), !current.isVerified())
                        .flatMap(verified -> current.isVerified() ? Mono.just(verified)
                                : recordChange(verified, List.of(TenantUpdated.VERIFIED)).thenReturn(verified)))
                .as(transactions::transactional)
                .doOnNext(tenant -> cache.evict(tenant.id()))
                .doOnSuccess(this::published);
    }

    /**
     * The language model {@code asked} for, as stored for the tenant now on {@code current} ({@code null}: the
     * platform's default): {@code offline} as it is; {@code openai} with the given base URL (else the current
     * one, else {@link TenantLlm#DEFAULT_BASE_URL}), model (else the current one) and API key, encrypted (else the
     * stored one, kept only while the endpoint stays the same: a stored key is never sent somewhere new).
     *
     * @throws ProblemException 400 naming {@code llm.model} or {@code llm.api_key} when there is none to keep
     */
    private TenantLlm resolveLlm(UUID tenantId, TenantLlm current, LlmSetting asked) {
        if (TenantLlm.OFFLINE.equals(asked.provider())) {
            return TenantLlm.OFFLINE_CHOICE;
        }
        TenantLlm kept = current != null && current.isOpenAi() ? current : null;
        String baseUrl = asked.baseUrl() != null ? asked.baseUrl()
                : kept != null ? kept.baseUrl() : TenantLlm.DEFAULT_BASE_URL;
        String model = asked.model() != null ? asked.model() : kept != null ? kept.model() : null;
        List<FieldProblem> errors = new ArrayList<>();
        if (model == null) {
            errors.add(TenantFields.llmModelRequired());
        }
        boolean sameEndpoint = kept != null && kept.baseUrl().equals(baseUrl);
        if (asked.apiKey() == null && !sameEndpoint) {
            errors.add(TenantFields.llmApiKeyRequired(kept != null));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (asked.apiKey() == null) {
            return new TenantLlm(TenantLlm.OPENAI, baseUrl, model, kept.apiKeyEncrypted(), kept.apiKeyHint());
        }
        return new TenantLlm(TenantLlm.OPENAI, baseUrl, model, secrets.encrypt(asked.apiKey(), tenantId.toString()),
                TenantLlm.hintOf(asked.apiKey()));
    }

    /** Whether {@code resolved} (from {@code asked}) is what the tenant has already, its key included. */
    private boolean sameLlm(UUID tenantId, TenantLlm current, TenantLlm resolved, LlmSetting asked) {
        if (current == null || resolved == null) {
            return current == resolved;
        }
        if (!Objects.equals(current.provider(), resolved.provider())
                || !Objects.equals(current.baseUrl(), resolved.baseUrl())
                || !Objects.equals(current.model(), resolved.model())) {
            return false;
        }
        if (asked == null || asked.apiKey() == null || current.apiKeyEncrypted() == null) {
            return asked == null || asked.apiKey() == null;
        }
        try {
            return secrets.decrypt(current.apiKeyEncrypted(), tenantId.toString()).equals(asked.apiKey());
        } catch (IllegalArgumentException e) {
            return false; // sealed under another TENANT_SECRETS_KEY: store it anew
        }
    }

    /** Writes the change's event to the outbox (inside the change's transaction). */
    private Mono<Void> recordChange(Tenant tenant, List<String> changedFields) {
        TenantLlm llm = tenant.llm();
        TenantUpdated event = new TenantUpdated(tenant.id().toString(), tenant.domain(), tenant.name(),
                tenant.status().value(), tenant.isVerified(), tenant.allowedOrigins(), tenant.rateLimitPlan(),
                tenant.supportEmail(), changedFields, tenant.updatedAt(), llm == null ? null
                        : new TenantUpdated.Llm(llm.provider(), llm.baseUrl(), llm.model(), llm.apiKeyEncrypted()));
        return outbox.add(UUID.randomUUID(), tenant.id(), json.writeValueAsString(event));
    }

    /** After a commit: the publisher need not wait for its next round. */
    private void published(Object committed) {
        if (committed != null) {
            publisher.nudge();
        }
    }
}
