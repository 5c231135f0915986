package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.concierge.contracts.Domains;
import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/admin/tenants}: {@code {"domain", "name", "allowed_origins", "rate_limit_plan",
 * "support_email", "llm"}}; only {@code domain} is required. {@code llm} may carry an API key in clear: this
 * request is never logged ({@link #toString} leaves it out).
 */
public record CreateTenantRequest(
        String domain,
        String name,
        List<String> allowedOrigins,
        String rateLimitPlan,
        String supportEmail,
        JsonNode llm) {

    /** A request without a language-model choice. */
    public CreateTenantRequest(String domain, String name, List<String> allowedOrigins, String rateLimitPlan,
            String supportEmail) {
        this(domain, name, allowedOrigins, rateLimitPlan, supportEmail, null);
    }

    /**
     * The request checked and normalised.
     *
     * @param rateLimitPlan {@code null} when none was given (the configured default applies)
     * @param supportEmail  {@code null} when none was given
     * @param llm           {@code null} when none was given (the platform's default)
     */
    record Valid(String domain, String name, List<String> allowedOrigins, String rateLimitPlan,
            String supportEmail, LlmSetting llm) {
    }

    /**
     * Checks every field and normalises the domain ({@link Domains#normalise}), origins and e-mail address. A
     * missing name becomes the domain; missing origins become the domain's own site ({@code https://<domain>},
     * {@code https://www.<domain>}); an empty list of origins stays empty (no browser may use the widget).
     *
     * @param knownPlans the configured rate-limit plans
     * @throws ProblemException 400 listing every invalid field
     */
    Valid validate(Set<String> knownPlans) {
        List<FieldProblem> errors = new ArrayList<>();

        String normalisedDomain = null;
        if (domain == null || domain.isBlank()) {
            errors.add(new FieldProblem("domain", "is required"));
        } else {
            normalisedDomain = Domains.normalise(domain);
            if (normalisedDomain == null) {
                errors.add(new FieldProblem("domain", "is not a domain name such as shop.example"));
            }
        }

        String validName = name == null || name.isBlank() ? normalisedDomain : TenantFields.name(name, errors);

        List<String> origins;
        if (allowedOrigins != null) {
            origins = TenantFields.origins(allowedOrigins, errors);
        } else {
            origins = normalisedDomain == null ? List.of() : Tenant.defaultOrigins(normalisedDomain);
        }

        String plan = rateLimitPlan == null ? null : TenantFields.plan(rateLimitPlan, knownPlans, errors);
        String email = supportEmail == null ? null : TenantFields.supportEmail(supportEmail, errors);
        LlmSetting validLlm = llm == null || llm.isNull() ? null : TenantFields.llm(llm, errors);

        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Valid(normalisedDomain, validName, origins, plan, email, validLlm);
    }

    @Override
    public String toString() {
        return "CreateTenantRequest[domain=" + domain + ", llm=" + (llm == null ? null : "***") + "]";
    }
}
