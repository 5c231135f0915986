package dev.concierge.gateway.tenants;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.concierge.gateway.config.RateLimitProperties;
import dev.concierge.gateway.errors.ProblemException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The tenant registry's admin API. Every request must carry the admin key; {@code AdminApiFilter} enforces
 * that before any of these methods runs.
 */
@RestController
@RequestMapping("/api/admin/tenants")
public class TenantAdminController {

    private static final Logger log = LoggerFactory.getLogger(TenantAdminController.class);

    private final TenantRegistry registry;
    private final LlmEndpoints llmEndpoints;
    private final Set<String> plans;
    private final String defaultPlan;

    public TenantAdminController(TenantRegistry registry, LlmEndpoints llmEndpoints, RateLimitProperties rateLimits) {
        this.registry = registry;
        this.llmEndpoints = llmEndpoints;
        this.plans = rateLimits.plans().keySet();
        this.defaultPlan = rateLimits.defaultPlan();
    }

    public record TenantList(List<TenantResponse> tenants) {
    }

    @PostMapping
    public Mono<ResponseEntity<CreatedTenantResponse>> create(@RequestBody CreateTenantRequest request) {
        CreateTenantRequest.Valid valid = request.validate(plans);
        TenantRegistry.Registration registration = new TenantRegistry.Registration(valid.domain(), valid.name(),
                valid.allowedOrigins(), valid.rateLimitPlan() != null ? valid.rateLimitPlan() : defaultPlan,
                valid.supportEmail(), valid.llm());
        return llmEndpoints.check(valid.llm() == null ? null : valid.llm().baseUrl())
                .then(Mono.defer(() -> registry.register(registration)))
                .onErrorMap(DataIntegrityViolationException.class, e -> isDomainTaken(e)
                        ? ProblemException.conflict("A tenant for domain " + valid.domain() + " already exists")
                        : e)
                .doOnNext(created -> log.info("Registered tenant {} for {} on plan {}", created.tenant().id(),
                        valid.domain(), created.tenant().rateLimitPlan()))
                .map(created -> ResponseEntity
                        .created(URI.create("/api/admin/tenants/" + created.tenant().id()))
                        .body(CreatedTenantResponse.of(created)));
    }

    @GetMapping("/{id}")
    public Mono<TenantResponse> get(@PathVariable("id") String id) {
        return registry.findById(parseId(id))
                .map(TenantResponse::of)
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)));
    }

    @GetMapping
    public Mono<TenantList> list() {
        return registry.findAll().map(TenantResponse::of).collectList().map(TenantList::new);
    }

    /** Changes the status and/or settings; see {@link UpdateTenantRequest}. */
    @PatchMapping("/{id}")
    public Mono<TenantResponse> update(@PathVariable("id") String id, @RequestBody JsonNode body) {
        UUID tenantId = parseId(id);
        TenantChanges changes = UpdateTenantRequest.parse(body, plans);
        String baseUrl = changes.llm() == null ? null : changes.llm().map(LlmSetting::baseUrl).orElse(null);
        return llmEndpoints.check(baseUrl)
                .then(Mono.defer(() -> registry.update(tenantId, changes)))
                .doOnNext(tenant -> log.info("Tenant {} ({}) changed: {}", tenant.id(), tenant.domain(),
                        describe(changes)))
                .map(TenantResponse::of)
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)));
    }

    /**
     * Replaces the tenant's {@code api_key} or {@code widget_key}. The answer carries the new key, once; the old
     * one is still accepted for the grace period ({@code GATEWAY_KEY_ROTATION_GRACE}).
     */
    @PostMapping("/{id}/keys/rotate")
    public Mono<RotatedKeyResponse> rotateKey(@PathVariable("id") String id, @RequestBody RotateKeyRequest request) {
        UUID tenantId = parseId(id);
        KeyKind kind = request.validKind();
        return registry.rotateKey(tenantId, kind)
                .doOnNext(rotated -> log.info("Rotated the {} of tenant {} ({}); the previous one is accepted until {}",
                        kind.value(), tenantId, rotated.tenant().domain(),
                        rotated.previousKeyValidUntil() == null ? "never again" : rotated.previousKeyValidUntil()))
                .map(RotatedKeyResponse::of)
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw unknownTenant(id);
        }
    }

    private static ProblemException unknownTenant(String id) {
        return ProblemException.notFound("No tenant with id " + id);
    }

    /** Which fields changed, for the log; never their values beyond the status, plan and LLM provider. */
    private static String describe(TenantChanges changes) {
        StringBuilder fields = new StringBuilder();
        if (changes.status() != null) {
            fields.append("status=").append(changes.status().value()).append(' ');
        }
        if (changes.rateLimitPlan() != null) {
            fields.append("rate_limit_plan=").append(changes.rateLimitPlan()).append(' ');
        }
        if (changes.name() != null) {
            fields.append("name ");
        }
        if (changes.allowedOrigins() != null) {
            fields.append("allowed_origins ");
        }
        if (changes.supportEmail() != null) {
            fields.append("support_email ");
        }
        if (changes.llm() != null) {
            fields.append("llm="
                    + changes.llm().map(LlmSetting::provider).orElse("default")).append(' ');
        }
        return fields.toString().strip();
    }

    private static boolean isDomainTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("tenants_domain_unique")) {
                return true;
            }
        }
        return false;
    }
}
