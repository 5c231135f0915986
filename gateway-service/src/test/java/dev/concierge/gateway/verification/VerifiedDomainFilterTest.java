package dev.concierge.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

import dev.concierge.gateway.auth.Caller;
import dev.concierge.gateway.auth.Role;
import dev.concierge.gateway.config.VerificationProperties;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.DomainVerification;
import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantStatus;
import dev.concierge.gateway.tenants.VerificationMethod;
import reactor.core.publisher.Mono;

class VerifiedDomainFilterTest {

    private static final Tenant UNVERIFIED = tenant(null);
    private static final Tenant VERIFIED = tenant(new DomainVerification(VerificationMethod.DNS_TXT, Instant.EPOCH));

    private static Tenant tenant(DomainVerification verification) {
        return new Tenant(UUID.randomUUID(), "shop.example", "Shop", List.of(), "standard", null, TenantStatus.ACTIVE,
                "ck_live_abcd", "cw_abcd", Instant.EPOCH, verification, Instant.EPOCH);
    }

    private static VerifiedDomainFilter filter(boolean required) {
        return new VerifiedDomainFilter(new VerificationProperties(required, "https", 0, false, "",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), DataSize.ofKilobytes(64),
                DataSize.ofKilobytes(512), 3));
    }

    /** Whether the request went on to the service; throws the refusal. */
    private static boolean passes(VerifiedDomainFilter filter, HttpMethod method, String rule, Role role,
            Tenant tenant) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method,
                URI.create("/api/x")).build());
        Route.AsyncBuilder route = Route.async().id("r").uri("http://127.0.0.1:1").predicate(e -> true);
        if (rule != null) {
            route.metadata(Map.of(VerifiedDomainFilter.VERIFIED_DOMAIN, rule));
        }
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route.build());
        exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller(role, tenant));
        AtomicBoolean passed = new AtomicBoolean();
        GatewayFilterChain chain = done -> Mono.fromRunnable(() -> passed.set(true));
        filter.filter(exchange, chain).block(Duration.ofSeconds(5));
        return passed.get();
    }

    @Test
    void refusesCrawlsAndWidgetChatsOfUnverifiedTenants() {
        VerifiedDomainFilter filter = filter(true);

        assertThatThrownBy(() -> passes(filter, HttpMethod.POST, "crawl", Role.TENANT, UNVERIFIED))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(403);
                    assertThat(problem.getBody().getType()).hasToString(VerifiedDomainFilter.PROBLEM_TYPE);
                });
        assertThatThrownBy(() -> passes(filter, HttpMethod.POST, "widget", Role.WIDGET, UNVERIFIED))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void letsEverythingElseThrough() {
        VerifiedDomainFilter filter = filter(true);

        assertThat(passes(filter, HttpMethod.GET, "crawl", Role.TENANT, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.DELETE, "crawl", Role.TENANT, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, "widget", Role.TENANT, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, "crawl", Role.ADMIN, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, null, Role.TENANT, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, "crawl", Role.TENANT, VERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, "widget", Role.WIDGET, VERIFIED)).isTrue();
    }

    @Test
    void refusesNothingWhenVerificationIsNotRequired() {
        VerifiedDomainFilter filter = filter(false);

        assertThat(passes(filter, HttpMethod.POST, "crawl", Role.TENANT, UNVERIFIED)).isTrue();
        assertThat(passes(filter, HttpMethod.POST, "widget", Role.WIDGET, UNVERIFIED)).isTrue();
    }
}
