package dev.concierge.gateway.auth;

import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.tenants.Tenant;

/**
 * Who an authenticated request acts as: a role and, unless it is an admin call naming no domain, a tenant.
 * {@link TenantAuthFilter} stores it in the exchange once every check passed, for the filters after it (rate
 * limits, CORS).
 */
public record Caller(Role role, Tenant tenant) {

    /** Exchange attribute holding the request's {@link Caller}. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of an authenticated request; {@code null} before (or without) successful authentication. */
    public static Caller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
