package dev.concierge.gateway.cors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.concierge.contracts.Domains;
import dev.concierge.gateway.auth.Caller;
import dev.concierge.gateway.auth.EdgeHeaders;
import dev.concierge.gateway.config.CorsProperties;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.ratelimit.RateLimitHeaders;
import dev.concierge.gateway.requestid.RequestIdFilter;
import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantRegistry;
import reactor.core.publisher.Mono;

/**
 * Per-tenant CORS for the chat ({@code /api/chat/**}), the only part of the API a browser calls. It owns CORS
 * for the whole gateway (Spring Cloud Gateway's global CORS is switched off, see {@link GatewayCorsSettings}):
 * <ul>
 * <li>Every preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is answered
 * here, before routing. On the chat it is allowed (204) when the origin is one of the allowed origins of the
 * active tenant named by {@code ?domain=} (a preflight carries no body and no widget key) and the method and
 * headers asked for are ones the chat takes; anything else, and every preflight elsewhere, gets 403
 * problem+json.</li>
 * <li>Actual chat responses, errors included, carry {@code Access-Control-Allow-Origin: <the origin>} (never
 * {@code *}; no credentials are involved: the widget authenticates with a header, not cookies) when the origin
 * is allowed for the request's tenant (the authenticated one, else the one {@code ?domain=} names), so the
 * widget can read problem bodies too. {@code Vary: Origin} is always set; CORS headers from the service behind
 * are replaced.</li>
 * </ul>
 * Whether the request itself is admitted is decided by {@code TenantAuthFilter}, not here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class TenantCorsFilter implements WebFilter {

    private static final PathPattern CHAT = PathPatternParser.defaultInstance.parse("/api/chat/**");

    static final List<HttpMethod> ALLOWED_METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS);
    static final List<String> ALLOWED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, EdgeHeaders.WIDGET_KEY,
            RequestIdFilter.HEADER, HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_LANGUAGE, HttpHeaders.CONTENT_LANGUAGE,
            "Last-Event-ID");
    static final List<String> EXPOSED_HEADERS;

    static {
        List<String> exposed = new ArrayList<>();
        exposed.add(RequestIdFilter.HEADER);
        exposed.addAll(RateLimitHeaders.ALL);
        EXPOSED_HEADERS = List.copyOf(exposed);
    }

    private static final String REFUSED = "Cross-origin request refused: the origin is not allowed for the "
            + "domain the request names (?domain=)";

    private final TenantRegistry tenants;
    private final String maxAge;

    public TenantCorsFilter(TenantRegistry tenants, CorsProperties properties) {
        this.tenants = tenants;
        this.maxAge = String.valueOf(properties.maxAge().toSeconds());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        boolean chat = CHAT.matches(request.getPath().pathWithinApplication());
        if (CorsUtils.isPreFlightRequest(request)) {
            return chat ? preflight(exchange)
                    : Mono.error(ProblemException.forbidden("Cross-origin requests are not allowed on this endpoint"));
        }
        String origin = request.getHeaders().getOrigin();
        if (chat) {
            exchange.getResponse().beforeCommit(() -> decorate(exchange, origin));
        }
        return chain.filter(exchange);
    }

    private Mono<Void> preflight(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders asked = request.getHeaders();
        HttpMethod method = asked.getAccessControlRequestMethod();
        if (method == null || !ALLOWED_METHODS.contains(method)) {
            return Mono.error(ProblemException.forbidden("Cross-origin request refused: method "
                    + (method == null ? "(none)" : method.name()) + " is not allowed; allowed are GET, POST"));
        }
        Set<String> allowed = new LinkedHashSet<>();
        ALLOWED_HEADERS.forEach(header -> allowed.add(header.toLowerCase(Locale.ROOT)));
        for (String header : asked.getAccessControlRequestHeaders()) {
            if (!allowed.contains(header.strip().toLowerCase(Locale.ROOT))) {
                return Mono.error(ProblemException.forbidden("Cross-origin request refused: header "
                        + printable(header) + " is not allowed; allowed are "
                        + String.join(", ", ALLOWED_HEADERS)));
            }
        }
        String origin = asked.getOrigin();
        return namedTenant(request)
                .filter(tenant -> tenant.isActive() && tenant.allowsOrigin(origin))
                .switchIfEmpty(Mono.error(() -> ProblemException.forbidden(REFUSED)))
                .flatMap(tenant -> {
                    ServerHttpResponse response = exchange.getResponse();
                    HttpHeaders headers = response.getHeaders();
                    headers.setAccessControlAllowOrigin(origin);
                    headers.setAccessControlAllowMethods(ALLOWED_METHODS);
                    headers.setAccessControlAllowHeaders(ALLOWED_HEADERS);
                    headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, maxAge);
                    vary(headers, HttpHeaders.ORIGIN, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD,
                            HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
                    response.setStatusCode(HttpStatus.NO_CONTENT);
                    return response.setComplete();
                });
    }

    /** Just before an actual chat response is written: its CORS headers. Never fails the response. */
    private Mono<Void> decorate(ServerWebExchange exchange, String origin) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        // Only the gateway speaks CORS; a service behind it has no say.
        List.copyOf(headers.headerNames()).stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"))
                .forEach(headers::remove);
        vary(headers, HttpHeaders.ORIGIN);
        if (origin == null) {
            return Mono.empty();
        }
        Caller caller = Caller.of(exchange);
        Mono<Tenant> tenant = caller != null && caller.tenant() != null ? Mono.just(caller.tenant())
                : namedTenant(exchange.getRequest());
        return tenant
                .filter(found -> found.allowsOrigin(origin))
                .doOnNext(found -> {
                    headers.setAccessControlAllowOrigin(origin);
                    headers.setAccessControlExposeHeaders(EXPOSED_HEADERS);
                })
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** The tenant of the one domain {@code ?domain=} names; empty when it names none, several or an unknown one. */
    private Mono<Tenant> namedTenant(ServerHttpRequest request) {
        Set<String> domains = new LinkedHashSet<>();
        for (String raw : request.getQueryParams().getOrDefault("domain", List.of())) {
            String domain = Domains.normalise(raw);
            if (domain == null) {
                return Mono.empty();
            }
            domains.add(domain);
        }
        return domains.size() == 1 ? tenants.findByDomain(domains.iterator().next()) : Mono.empty();
    }

    private static void vary(HttpHeaders headers, String... names) {
        List<String> vary = new ArrayList<>(headers.getVary());
        for (String name : names) {
            if (vary.stream().noneMatch(existing -> existing.equalsIgnoreCase(name))) {
                vary.add(name);
            }
        }
        headers.setVary(vary);
    }

    private static String printable(String header) {
        String stripped = header.strip();
        return stripped.length() > 64 || !stripped.chars().allMatch(c -> c > 32 && c < 127) ? "(invalid)" : stripped;
    }
}
