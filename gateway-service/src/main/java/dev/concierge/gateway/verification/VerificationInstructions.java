package dev.concierge.gateway.verification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.concierge.gateway.tenants.VerificationMethod;

/**
 * Answer to {@code POST} (and {@code GET}) {@code /api/admin/tenants/{id}/verification}: the token and how to
 * publish it, by any one of the three methods.
 *
 * @param verified whether the domain is verified already (a new token does not undo that)
 * @param verify   the request that checks
 */
public record VerificationInstructions(
        UUID tenantId,
        String domain,
        String token,
        Instant issuedAt,
        boolean verified,
        List<Method> methods,
        String verify) {

    /** One way to publish the token. Only the members that apply to the method are present. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Method(
            VerificationMethod method,
            String instructions,
            String url,
            String content,
            String name,
            String value,
            String tag) {
    }
}
