package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.concierge.contracts.Domains;
import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.internal.Origins;

/** Body of {@code POST /api/admin/tenants}: {@code {"domain", "name", "allowed_origins"}}. */
public record CreateTenantRequest(String domain, String name, List<String> allowedOrigins) {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ORIGINS = 20;

    /** The request checked and normalised. */
    record Valid(String domain, String name, List<String> allowedOrigins) {
    }

    /**
     * Checks every field and normalises the domain ({@link Domains#normalise}) and origins; a missing name
     * becomes the domain.
     *
     * @throws ProblemException 400 listing every invalid field
     */
    Valid validate() {
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

        String trimmedName = name == null || name.isBlank() ? normalisedDomain : name.strip();
        if (trimmedName != null && trimmedName.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldProblem("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }

        Set<String> origins = new LinkedHashSet<>();
        List<String> given = allowedOrigins == null ? List.of() : allowedOrigins;
        if (given.size() > MAX_ORIGINS) {
            errors.add(new FieldProblem("allowed_origins", "must list at most " + MAX_ORIGINS + " origins"));
        } else {
            for (int i = 0; i < given.size(); i++) {
                String origin = Origins.normalise(given.get(i));
                if (origin == null) {
                    errors.add(new FieldProblem("allowed_origins[" + i + "]",
                            "is not an http(s) origin such as https://shop.example"));
                } else {
                    origins.add(origin);
                }
            }
        }

        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Valid(normalisedDomain, trimmedName, List.copyOf(origins));
    }
}
