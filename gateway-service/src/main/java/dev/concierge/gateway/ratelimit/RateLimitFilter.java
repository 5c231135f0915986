package dev.concierge.gateway.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.auth.Caller;
import dev.concierge.gateway.auth.Role;
import dev.concierge.gateway.auth.TenantAuthFilter;
import dev.concierge.gateway.clients.ClientAddresses;
import dev.concierge.gateway.config.RateLimitProperties;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter.Scope;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter.Verdict;
import dev.concierge.gateway.ratelimit.internal.RedisOutage;
import dev.concierge.gateway.tenants.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rate limits every routed request of a tenant (API key or widget key) with token buckets in Redis, sized by
 * the tenant's plan ({@code concierge.rate-limit.plans}):
 * <ul>
 * <li>one bucket per tenant, for all its traffic;</li>
 * <li>for widget-key requests (the public chat) also one bucket per tenant and client address, checked first,
 * so one shopper (or one abuser of the public key) cannot use up the tenant's allowance. Server-to-server calls
 * with the API key come from the store's few servers and are bounded by the tenant bucket only.</li>
 * </ul>
 * Admin-key calls are not limited. A refused request gets {@code 429} problem+json with {@code Retry-After};
 * every limited response carries the {@link RateLimitHeaders} of the bucket closest to its limit.
 * <p>
 * <b>Redis unavailable: fail open.</b> When Redis errs or does not answer within {@code timeout}, requests pass
 * unlimited; the outage is logged once as a warning, {@code /api/health} and {@code /actuator/health} show
 * Redis down, and the counter {@code concierge.ratelimit.fail_open} counts the requests let through. Failing
 * closed would turn an outage of a cache-grade dependency into a full outage of every store's chat and API,
 * while the downstream services still have their own bounds (timeouts, the circuit breaker, connection pools);
 * a short window without per-tenant fairness is the smaller harm.
 */
public class RateLimitFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final PlanLimiter limiter;
    private final RedisOutage outage;
    private final ClientAddresses clients;
    private final RateLimitProperties properties;
    private final Set<String> reportedUnknownPlans = ConcurrentHashMap.newKeySet();
    private final Map<Scope, Counter> rejected;
    private final Counter failOpen;

    public RateLimitFilter(PlanLimiter limiter, RedisOutage outage, ClientAddresses clients,
            RateLimitProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.limiter = limiter;
        this.outage = outage;
        this.clients = clients;
        this.properties = properties;
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            this.rejected = Map.of(
                    Scope.TENANT, Counter.builder("concierge.ratelimit.rejected").tag("scope", Scope.TENANT.value())
                            .description("Requests refused with 429").register(registry),
                    Scope.CLIENT_IP, Counter.builder("concierge.ratelimit.rejected")
                            .tag("scope", Scope.CLIENT_IP.value())
                            .description("Requests refused with 429").register(registry));
            this.failOpen = Counter.builder("concierge.ratelimit.fail_open")
                    .description("Requests let through unlimited because Redis was unavailable").register(registry);
        } else {
            this.rejected = Map.of();
            this.failOpen = null;
        }
    }

    @Override
    public int getOrder() {
        return TenantAuthFilter.ORDER + 50;
    }

    /** One bucket to draw from. */
    private record Check(Scope scope, String key) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Caller.of(exchange);
        boolean storeWebhook = caller == null && TenantAuthFilter.isSignedWebhook(exchange);
        if (!properties.enabled() || !storeWebhook && (caller == null || caller.tenant() == null || caller.role() == Role.ADMIN)) {
            return chain.filter(exchange);
        }
        if (outage.shouldSkip()) {
            countFailOpen();
            return chain.filter(exchange);
        }
        if (storeWebhook) {
            // the keyless route: no tenant to charge, so each sending address has the default plan's client bucket
            // (a store sends a few deliveries a minute; a flood of forged ones stops here, not in commerce-service)
            String client = clients.clientKey(exchange.getRequest().getRemoteAddress(),
                    exchange.getRequest().getHeaders().getOrDefault("X-Forwarded-For", List.of()));
            return limited(exchange, chain, properties.defaultPlan(), List.of(new Check(Scope.CLIENT_IP, "store-webhook:" + client)));
        }
        Tenant tenant = caller.tenant();
        String plan = planOf(tenant);
        List<Check> checks = new ArrayList<>(2);
        if (caller.role() == Role.WIDGET) {
            String client = clients.clientKey(exchange.getRequest().getRemoteAddress(),
                    exchange.getRequest().getHeaders().getOrDefault("X-Forwarded-For", List.of()));
            checks.add(new Check(Scope.CLIENT_IP, tenant.id() + ":" + client));
        }
        checks.add(new Check(Scope.TENANT, tenant.id().toString()));
        return limited(exchange, chain, plan, checks);
    }

    /** Draws from the buckets; the request goes on, or ends in 429 (Redis unavailable: on, unlimited). */
    private Mono<Void> limited(ServerWebExchange exchange, GatewayFilterChain chain, String plan, List<Check> checks) {
        Mono<Verdict> verdict = check(plan, checks, 0).timeout(properties.timeout());
        if (outage.isDown()) {
            // Reconnecting may block while the connection is set up: keep that off the event loop.
            verdict = verdict.subscribeOn(Schedulers.boundedElastic());
        }
        return verdict
                .map(Optional::of)
                .onErrorResume(e -> {
                    outage.failed(e);
                    countFailOpen();
                    return Mono.just(Optional.empty());
                })
                .flatMap(answer -> {
                    if (answer.isEmpty()) {
                        return chain.filter(exchange);
                    }
                    outage.succeeded();
                    Verdict decisive = answer.get();
                    if (!decisive.allowed()) {
                        Counter counter = rejected.get(decisive.scope());
                        if (counter != null) {
                            counter.increment();
                        }
                        return Mono.error(tooManyRequests(decisive));
                    }
                    HttpHeaders headers = headersOf(decisive);
                    exchange.getResponse().beforeCommit(() -> {
                        // Set at commit: the service's own response headers are copied in after this filter runs.
                        exchange.getResponse().getHeaders().putAll(headers);
                        return Mono.empty();
                    });
                    return chain.filter(exchange);
                });
    }

    /**
     * Draws from each bucket in turn and stops at the first refusal, so a refused request costs nothing from
     * the buckets after it. The answer is the refusal, or the verdict of the bucket with the fewest requests
     * left.
     */
    private Mono<Verdict> check(String plan, List<Check> checks, int index) {
        Check check = checks.get(index);
        return limiter.check(plan, check.scope(), check.key()).flatMap(verdict -> {
            if (!verdict.allowed() || index == checks.size() - 1) {
                return Mono.just(verdict);
            }
            return check(plan, checks, index + 1)
                    .map(next -> !next.allowed() || next.requestsLeft() < verdict.requestsLeft() ? next : verdict);
        });
    }

    /** The tenant's plan, or the default plan when the tenant's is no longer configured. */
    private String planOf(Tenant tenant) {
        String plan = tenant.rateLimitPlan();
        if (plan != null && limiter.hasPlan(plan)) {
            return plan;
        }
        if (reportedUnknownPlans.add(String.valueOf(plan))) {
            log.warn("Tenant {} ({}) has rate-limit plan '{}', which is not configured; using the default plan '{}'",
                    tenant.id(), tenant.domain(), plan, properties.defaultPlan());
        }
        return properties.defaultPlan();
    }

    private static HttpHeaders headersOf(Verdict verdict) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(RateLimitHeaders.LIMIT, String.valueOf(verdict.bucket().burstCapacity()));
        headers.set(RateLimitHeaders.REMAINING, String.valueOf(verdict.tokensLeft()));
        headers.set(RateLimitHeaders.REPLENISH_RATE, String.valueOf(verdict.bucket().replenishRate()));
        headers.set(RateLimitHeaders.BURST_CAPACITY, String.valueOf(verdict.bucket().burstCapacity()));
        headers.set(RateLimitHeaders.REQUESTED_TOKENS, String.valueOf(verdict.bucket().requestedTokens()));
        return headers;
    }

    private static ProblemException tooManyRequests(Verdict verdict) {
        HttpHeaders headers = headersOf(verdict);
        long retryAfter = verdict.retryAfterSeconds();
        headers.set(RateLimitHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        String whose = verdict.scope() == Scope.TENANT ? "this store" : "this client";
        return ProblemException.tooManyRequests(
                "Too many requests for " + whose + "; retry after " + retryAfter + " s", headers,
                Map.of("rate_limit", verdict.scope().value(), "retry_after_seconds", retryAfter));
    }

    private void countFailOpen() {
        if (failOpen != null) {
            failOpen.increment();
        }
    }

    /** Connects to Redis once at start-up, off the event loop, so a missing Redis is reported at once. */
    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        if (!properties.enabled()) {
            log.info("Rate limiting is disabled (concierge.rate-limit.enabled=false)");
            return;
        }
        limiter.check(properties.defaultPlan(), Scope.TENANT, "warm-up")
                .timeout(properties.timeout().multipliedBy(4))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(verdict -> outage.succeeded(), outage::failed);
    }
}
