package dev.concierge.gateway.tenants;

import dev.concierge.gateway.errors.ProblemException;

/** Body of {@code PATCH /api/admin/tenants/{id}}: {@code {"status": "active" | "disabled"}}. */
public record UpdateTenantRequest(String status) {

    TenantStatus validStatus() {
        TenantStatus parsed = TenantStatus.parse(status);
        if (parsed == null) {
            throw ProblemException.invalidField("status", "must be \"active\" or \"disabled\"");
        }
        return parsed;
    }
}
