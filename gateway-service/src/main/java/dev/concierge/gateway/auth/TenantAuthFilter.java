package dev.concierge.gateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.auth.internal.AuthFailures;
import dev.concierge.gateway.auth.internal.Credentials;
import dev.concierge.gateway.auth.internal.NamedDomain;
import dev.concierge.gateway.config.GatewayProperties;
import dev.concierge.gateway.errors.ProblemException;
import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authenticates every request the gateway routes to a service and tells the service who it acts for
 * ({@link EdgeHeaders}); see "The edge contract" in docs/architecture.md.
 * <ul>
 * <li>{@code Authorization: Bearer} with the admin key or a tenant's API key, on every route; a widget key
 * ({@code X-Widget-Key}) only on routes whose metadata has {@code widget-access: true} (the chat).</li>
 * <li>On those widget routes a tenant's request must come from one of the tenant's allowed origins: the widget
 * key always ({@code Origin} required: it is meant for the store's own pages), the API key whenever the request
 * has an {@code Origin} (server-to-server calls have none).</li>
 * <li>The domain a request names ({@code ?domain=}, or {@code domain} in a JSON body, which is buffered and
 * forwarded byte for byte) selects the tenant for the admin key and must be the key's own tenant otherwise.</li>
 * <li>Client-sent {@code X-Tenant-Id}, {@code X-Tenant-Domain}, {@code X-Concierge-Role} are always dropped, and
 * so are the credentials: services trust the edge headers, they never see keys.</li>
 * <li>Unknown API keys and widget keys count as failed authentications of the client address; a client over the
 * limit is refused (429) before any key lookup until its window ends ({@code AuthFailures}).</li>
 * </ul>
 * Runs before the routing filters (and every route filter), so nothing reaches a service unauthenticated.
 */
@Component
public class TenantAuthFilter implements GlobalFilter, Ordered {

    /** Route metadata key; {@code true} admits widget keys on the route. */
    public static final String WIDGET_ACCESS = "widget-access";

    /** Where this filter runs among the global filters; filters needing the {@link Caller} run after it. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final String UNKNOWN_DOMAIN_OR_WIDGET_KEY = "Unknown domain or widget key";

    private final AdminKey adminKey;
    private final TenantRegistry tenants;
    private final AuthFailures failures;
    private final int maxInspectedBody;

    public TenantAuthFilter(AdminKey adminKey, TenantRegistry tenants, AuthFailures failures,
            GatewayProperties properties) {
        this.adminKey = adminKey;
        this.tenants = tenants;
        this.failures = failures;
        this.maxInspectedBody = Math.toIntExact(properties.maxJsonBody().toBytes());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (isSignedWebhook(exchange)) {
            // the store's own webhook: it has no Concierge key; the service checks its signature. It acts for
            // nobody, so it carries no identity (and any sent is dropped).
            return chain.filter(exchange.mutate().request(exchange.getRequest().mutate().headers(headers -> {
                headers.remove(EdgeHeaders.TENANT_ID);
                headers.remove(EdgeHeaders.TENANT_DOMAIN);
                headers.remove(EdgeHeaders.ROLE);
                headers.remove(HttpHeaders.AUTHORIZATION);
                headers.remove(EdgeHeaders.WIDGET_KEY);
            }).build()).build());
        }
        // a client with too many failed authentications is refused before any key lookup
        ProblemException blocked = failures.refusalIfBlocked(exchange);
        if (blocked != null) {
            return Mono.error(blocked);
        }
        Credentials credentials = Credentials.from(exchange.getRequest().getHeaders());
        boolean widgetAccess = admitsWidgets(exchange);
        return authenticate(credentials, widgetAccess, exchange)
                .flatMap(caller -> readJsonBody(exchange).flatMap(body -> {
                    Optional<String> domain = NamedDomain.resolve(namedDomains(exchange, body));
                    return actingAs(caller, domain)
                            .map(acting -> fromAllowedOrigin(acting, exchange, widgetAccess))
                            .flatMap(acting -> {
                                exchange.getAttributes().put(Caller.ATTRIBUTE, acting);
                                return chain.filter(forward(exchange, acting, body));
                            });
                }));
    }

    /** Route metadata key; {@code true}: the caller is a third party whose request the service verifies itself. */
    public static final String SIGNED_WEBHOOK = "signed-webhook";

    /** Whether the request goes to a route whose service authenticates it by a signature (store webhooks). */
    public static boolean isSignedWebhook(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null && Boolean.parseBoolean(String.valueOf(route.getMetadata().get(SIGNED_WEBHOOK)));
    }

    /** The caller the credentials name; an unknown key counts as a failed authentication of the client. */
    private Mono<Caller> authenticate(Credentials credentials, boolean widgetAccess, ServerWebExchange exchange) {
        if (credentials.bearer() != null) {
            if (adminKey.matches(credentials.bearer())) {
                return Mono.just(new Caller(Role.ADMIN, null));
            }
            return tenants.findByApiKey(credentials.bearer())
                    .switchIfEmpty(Mono.defer(() -> failures.failed(exchange,
                            ProblemException.unauthorized("Invalid API key"))))
                    .map(TenantAuthFilter::active)
                    .map(tenant -> new Caller(Role.TENANT, tenant));
        }
        if (credentials.widgetKey() != null) {
            if (!widgetAccess) {
                return Mono.error(ProblemException.unauthorized(
                        "This endpoint requires an API key: Authorization: Bearer <api_key>"));
            }
            return tenants.findByWidgetKey(credentials.widgetKey())
                    .switchIfEmpty(Mono.defer(() -> failures.failed(exchange,
                            ProblemException.notFound(UNKNOWN_DOMAIN_OR_WIDGET_KEY))))
                    .map(TenantAuthFilter::active)
                    .map(tenant -> new Caller(Role.WIDGET, tenant));
        }
        return Mono.error(ProblemException.unauthorized(widgetAccess
                ? "Missing credentials: send Authorization: Bearer <api_key> or X-Widget-Key: <widget_key>"
                : "Missing credentials: send Authorization: Bearer <api_key>"));
    }

    /** The caller as it will act: the admin key takes the tenant the request names; keys stay in their tenant. */
    private Mono<Caller> actingAs(Caller caller, Optional<String> domain) {
        if (domain.isEmpty()) {
            return Mono.just(caller);
        }
        String named = domain.get();
        return switch (caller.role()) {
            case ADMIN -> tenants.findByDomain(named)
                    .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No tenant for domain " + named)))
                    .map(tenant -> new Caller(Role.ADMIN, tenant));
            case TENANT -> caller.tenant().domain().equals(named) ? Mono.just(caller)
                    : Mono.error(ProblemException.forbidden("The API key does not belong to domain " + named));
            // Not 403: a widget key is public, and the answer must not tell which domains are tenants.
            case WIDGET -> caller.tenant().domain().equals(named) ? Mono.just(caller)
                    : Mono.error(ProblemException.notFound(UNKNOWN_DOMAIN_OR_WIDGET_KEY));
        };
    }

    /**
     * The caller, when the request's origin is one its tenant allows on this route. Only routes admitting the
     * widget (the chat) are browser-facing; the admin key is not bound to origins.
     *
     * @throws ProblemException 403 when a widget key comes without an allowed {@code Origin}, or an API key
     *                          with an {@code Origin} the tenant does not allow
     */
    private static Caller fromAllowedOrigin(Caller caller, ServerWebExchange exchange, boolean widgetAccess) {
        if (!widgetAccess || caller.role() == Role.ADMIN) {
            return caller;
        }
        String origin = exchange.getRequest().getHeaders().getOrigin();
        if (origin == null) {
            if (caller.role() == Role.WIDGET) {
                throw ProblemException.forbidden("The widget key is accepted only from the store's web pages: the "
                        + "request has no Origin (server-to-server calls use the api_key)");
            }
            return caller;
        }
        if (!caller.tenant().allowsOrigin(origin)) {
            throw ProblemException.forbidden("The request's Origin is not one of the allowed origins of "
                    + caller.tenant().domain());
        }
        return caller;
    }

    private static Tenant active(Tenant tenant) {
        if (!tenant.isActive()) {
            throw ProblemException.forbidden("The tenant " + tenant.domain() + " is disabled");
        }
        return tenant;
    }

    private static boolean admitsWidgets(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null && Boolean.parseBoolean(String.valueOf(route.getMetadata().get(WIDGET_ACCESS)));
    }

    private static List<String> namedDomains(ServerWebExchange exchange, Optional<byte[]> body) {
        List<String> named = new ArrayList<>(
                exchange.getRequest().getQueryParams().getOrDefault(NamedDomain.FIELD, List.of()));
        body.flatMap(NamedDomain::inJsonBody).ifPresent(named::add);
        return named;
    }

    /**
     * The whole body of a JSON request with a body (POST, PUT, PATCH, DELETE), up to the configured size; empty
     * for other requests, whose bodies stream through unread.
     */
    private Mono<Optional<byte[]>> readJsonBody(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (!hasJsonBody(request)) {
            return Mono.just(Optional.empty());
        }
        return DataBufferUtils.join(request.getBody(), maxInspectedBody)
                .map(TenantAuthFilter::bytesOf)
                .defaultIfEmpty(new byte[0])
                .map(Optional::of)
                .onErrorMap(DataBufferLimitException.class, e -> ProblemException.contentTooLarge(
                        "JSON request bodies are limited to " + maxInspectedBody + " bytes"));
    }

    private static boolean hasJsonBody(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        if (!(HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)
                || HttpMethod.DELETE.equals(method))) {
            return false;
        }
        MediaType contentType;
        try {
            contentType = request.getHeaders().getContentType();
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            throw ProblemException.badRequest("Invalid Content-Type header");
        }
        return contentType != null && ("json".equalsIgnoreCase(contentType.getSubtype())
                || contentType.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static ServerWebExchange forward(ServerWebExchange exchange, Caller caller, Optional<byte[]> body) {
        ServerHttpRequest withHeaders = exchange.getRequest().mutate().headers(headers -> {
            headers.remove(EdgeHeaders.TENANT_ID);
            headers.remove(EdgeHeaders.TENANT_DOMAIN);
            headers.remove(EdgeHeaders.ROLE);
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.remove(EdgeHeaders.WIDGET_KEY);
            headers.set(EdgeHeaders.ROLE, caller.role().headerValue());
            if (caller.tenant() != null) {
                headers.set(EdgeHeaders.TENANT_ID, caller.tenant().id().toString());
                headers.set(EdgeHeaders.TENANT_DOMAIN, caller.tenant().domain());
            }
        }).build();
        ServerHttpRequest forwarded = body.<ServerHttpRequest>map(bytes -> new BufferedBodyRequest(
                withHeaders, bytes, exchange)).orElse(withHeaders);
        return exchange.mutate().request(forwarded).build();
    }

    /** A request whose body was read to inspect it: replays the same bytes, as often as it is subscribed. */
    private static final class BufferedBodyRequest extends ServerHttpRequestDecorator {

        private final byte[] body;
        private final ServerWebExchange exchange;

        BufferedBodyRequest(ServerHttpRequest delegate, byte[] body, ServerWebExchange exchange) {
            super(delegate);
            this.body = body;
            this.exchange = exchange;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            if (body.length == 0) {
                return Flux.empty();
            }
            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
        }
    }
}
