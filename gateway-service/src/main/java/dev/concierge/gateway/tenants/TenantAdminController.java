package dev.concierge.gateway.tenants;

import java.net.URI;
import java.util.List;
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

import dev.concierge.gateway.errors.ProblemException;
import reactor.core.publisher.Mono;

/**
 * The tenant registry's admin API. Every request must carry the admin key; {@code AdminApiFilter} enforces
 * that before any of these methods runs.
 */
@RestController
@RequestMapping("/api/admin/tenants")
public class TenantAdminController {

    private static final Logger log = LoggerFactory.getLogger(TenantAdminController.class);

    private final TenantRegistry registry;

    public TenantAdminController(TenantRegistry registry) {
        this.registry = registry;
    }

    public record TenantList(List<TenantResponse> tenants) {
    }

    @PostMapping
    public Mono<ResponseEntity<CreatedTenantResponse>> create(@RequestBody CreateTenantRequest request) {
        CreateTenantRequest.Valid valid = request.validate();
        return registry.register(valid.domain(), valid.name(), valid.allowedOrigins())
                .onErrorMap(DataIntegrityViolationException.class, e -> isDomainTaken(e)
                        ? ProblemException.conflict("A tenant for domain " + valid.domain() + " already exists")
                        : e)
                .doOnNext(created -> log.info("Registered tenant {} for {}", created.tenant().id(), valid.domain()))
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

    @PatchMapping("/{id}")
    public Mono<TenantResponse> update(@PathVariable("id") String id, @RequestBody UpdateTenantRequest request) {
        TenantStatus status = request.validStatus();
        return registry.changeStatus(parseId(id), status)
                .doOnNext(tenant -> log.info("Tenant {} ({}) is now {}", tenant.id(), tenant.domain(), status.value()))
                .map(TenantResponse::of)
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

    private static boolean isDomainTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("tenants_domain_unique")) {
                return true;
            }
        }
        return false;
    }
}
