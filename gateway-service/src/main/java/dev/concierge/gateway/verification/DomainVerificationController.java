package dev.concierge.gateway.verification;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantRegistry;
import dev.concierge.gateway.tenants.VerificationMethod;
import dev.concierge.gateway.tenants.VerificationToken;
import dev.concierge.gateway.verification.internal.VerificationTokens;
import reactor.core.publisher.Mono;

/**
 * Domain verification of a tenant (admin key; {@code AdminApiFilter} enforces it): a token is issued, the tenant
 * publishes it on its domain, and {@code .../verify} looks for it. A verified tenant may crawl its site and serve
 * the public chat (see {@link VerifiedDomainFilter}).
 */
@RestController
@RequestMapping("/api/admin/tenants/{id}/verification")
public class DomainVerificationController {

    private static final Logger log = LoggerFactory.getLogger(DomainVerificationController.class);

    private final TenantRegistry registry;
    private final DomainVerifier verifier;

    public DomainVerificationController(TenantRegistry registry, DomainVerifier verifier) {
        this.registry = registry;
        this.verifier = verifier;
    }

    /** Issues a new token (replacing any earlier one) and says how to publish it. */
    @PostMapping
    public Mono<VerificationInstructions> issue(@PathVariable("id") String id) {
        UUID tenantId = parseId(id);
        return registry.issueVerificationToken(tenantId, VerificationTokens.newToken())
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)))
                .doOnNext(issued -> log.info("Issued a domain-verification token for tenant {} ({})", tenantId,
                        issued.tenant().domain()))
                .map(this::instructions);
    }

    /** The current token and how to publish it, without issuing a new one. */
    @GetMapping
    public Mono<VerificationInstructions> current(@PathVariable("id") String id) {
        UUID tenantId = parseId(id);
        return registry.findVerificationToken(tenantId)
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)))
                .map(found -> {
                    if (found.token() == null) {
                        throw noToken(tenantId, found.tenant());
                    }
                    return instructions(found);
                });
    }

    /** Looks for the current token on the tenant's domain; marks the tenant verified when a method finds it. */
    @PostMapping("/verify")
    public Mono<VerificationResponse> verify(@PathVariable("id") String id) {
        UUID tenantId = parseId(id);
        return registry.findVerificationToken(tenantId)
                .switchIfEmpty(Mono.error(() -> unknownTenant(id)))
                .flatMap(found -> {
                    Tenant tenant = found.tenant();
                    if (found.token() == null) {
                        return Mono.error(noToken(tenantId, tenant));
                    }
                    return verifier.verify(tenant.domain(), found.token()).flatMap(result -> {
                        if (!result.verified()) {
                            log.info("Domain verification of tenant {} ({}) failed: {}", tenantId, tenant.domain(),
                                    result.attempts().stream().map(a -> a.method().value() + "=" + a.outcome().value())
                                            .toList());
                            return Mono.just(response(tenant, result.attempts()));
                        }
                        VerificationMethod method = result.method();
                        return registry.markVerified(tenantId, method)
                                .switchIfEmpty(Mono.error(() -> unknownTenant(id)))
                                .doOnNext(verified -> log.info("Tenant {} ({}) verified its domain by {}", tenantId,
                                        verified.domain(), method.value()))
                                .map(verified -> response(verified, result.attempts()));
                    });
                });
    }

    private VerificationInstructions instructions(VerificationToken issued) {
        Tenant tenant = issued.tenant();
        String domain = tenant.domain();
        String token = issued.token();
        String file = verifier.fileUrl(domain).toString();
        String home = verifier.homePageUrl(domain).toString();
        String tag = "<meta name=\"" + DomainVerifier.META_NAME + "\" content=\"" + token + "\">";
        List<VerificationInstructions.Method> methods = List.of(
                new VerificationInstructions.Method(VerificationMethod.WELL_KNOWN_FILE,
                        "Serve a text file at " + file + " whose content is the token (HTTP 200, no redirect to "
                                + "another host)", file, token, null, null, null),
                new VerificationInstructions.Method(VerificationMethod.DNS_TXT,
                        "Add a DNS TXT record named " + DomainVerifier.txtName(domain) + " with the token as its "
                                + "value", null, null, DomainVerifier.txtName(domain), token, null),
                new VerificationInstructions.Method(VerificationMethod.META_TAG,
                        "Add this tag to the <head> of your home page " + home, home, null, null, null, tag));
        return new VerificationInstructions(tenant.id(), domain, token, issued.issuedAt(), tenant.isVerified(),
                methods, "POST /api/admin/tenants/" + tenant.id() + "/verification/verify");
    }

    private static VerificationResponse response(Tenant tenant, List<VerificationAttempt> attempts) {
        return new VerificationResponse(tenant.id(), tenant.domain(), tenant.isVerified(),
                tenant.isVerified() ? tenant.verification().verifiedAt() : null,
                tenant.isVerified() ? tenant.verification().method() : null, attempts);
    }

    private static ProblemException noToken(UUID tenantId, Tenant tenant) {
        return ProblemException.conflict("No verification token was issued for " + tenant.domain()
                + " yet: POST /api/admin/tenants/" + tenantId + "/verification first");
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
}
