package dev.concierge.gateway.verification;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.auth.Caller;
import dev.concierge.gateway.auth.Role;
import dev.concierge.gateway.auth.TenantAuthFilter;
import dev.concierge.gateway.config.VerificationProperties;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.Tenant;
import reactor.core.publisher.Mono;

/**
 * Keeps tenants that have not verified their domain from what only a domain's owner should do, as the route's
 * {@code verified-domain} metadata says:
 * <ul>
 * <li>{@code crawl}: starting a crawl ({@code POST}) with the tenant's API key;</li>
 * <li>{@code widget}: the public chat with the widget key (server-to-server calls with the API key stay
 * allowed, they come from the tenant itself).</li>
 * </ul>
 * Refused with 403 problem+json ("domain not verified"). The admin key acting for a tenant is the operator and is
 * not refused. Off when {@code concierge.verification.require-verified-domain} is false (local runs, end-to-end
 * tests). Runs right after {@link TenantAuthFilter}, before rate limiting, so refused requests cost no tokens.
 */
@Component
public class VerifiedDomainFilter implements GlobalFilter, Ordered {

    /** Route metadata key: {@code crawl} or {@code widget}. */
    public static final String VERIFIED_DOMAIN = "verified-domain";
    static final String CRAWL = "crawl";
    static final String WIDGET = "widget";

    /** The problem type of the refusal. */
    public static final String PROBLEM_TYPE = "https://concierge.dev/problems/domain-not-verified";

    private final boolean required;

    public VerifiedDomainFilter(VerificationProperties properties) {
        this.required = properties.requireVerifiedDomain();
    }

    @Override
    public int getOrder() {
        return TenantAuthFilter.ORDER + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Caller.of(exchange);
        if (!required || caller == null || caller.tenant() == null || caller.role() == Role.ADMIN
                || caller.tenant().isVerified()) {
            return chain.filter(exchange);
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Object rule = route == null ? null : route.getMetadata().get(VERIFIED_DOMAIN);
        Tenant tenant = caller.tenant();
        if (CRAWL.equals(rule) && HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
            return Mono.error(ProblemException.forbidden(PROBLEM_TYPE, "Domain not verified: " + tenant.domain()
                    + " can be crawled once its owner verified it (POST /api/admin/tenants/" + tenant.id()
                    + "/verification)"));
        }
        if (WIDGET.equals(rule) && caller.role() == Role.WIDGET) {
            return Mono.error(ProblemException.forbidden(PROBLEM_TYPE, "Domain not verified: the chat of "
                    + tenant.domain() + " opens once the store verified its domain"));
        }
        return chain.filter(exchange);
    }
}
