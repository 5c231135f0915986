package dev.concierge.gateway.hygiene;

import java.util.List;
import java.util.Locale;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.concierge.gateway.clients.ClientAddresses;
import dev.concierge.gateway.config.RateLimitProperties;
import reactor.core.publisher.Mono;

/**
 * Security headers on every response, the gateway's own and the services' (set when the response is committed,
 * so they replace whatever a service sent):
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY}
 * (nothing here is meant to be framed: the widget is a script on the store's page, it calls the API with
 * {@code fetch});</li>
 * <li>{@code Cache-Control: no-store} on {@code /api/**}: answers are per tenant and per key, no cache may keep
 * them;</li>
 * <li>{@code Strict-Transport-Security} when the request came over https, directly or through a trusted proxy
 * ({@code GATEWAY_TRUSTED_PROXIES}) that says so with {@code X-Forwarded-Proto: https}. Over plain http the header
 * would be ignored by browsers anyway, and a client-sent {@code X-Forwarded-Proto} is not believed.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SecurityHeadersFilter implements WebFilter {

    static final String HSTS = "max-age=31536000; includeSubDomains";
    private static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final PathPattern API = PathPatternParser.defaultInstance.parse("/api/**");

    private final ClientAddresses proxies;

    public SecurityHeadersFilter(RateLimitProperties properties) {
        this.proxies = ClientAddresses.trusting(properties.trustedProxies());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        boolean api = API.matches(request.getPath().pathWithinApplication());
        boolean secure = isHttps(request);
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Frame-Options", "DENY");
            if (api) {
                headers.setCacheControl("no-store");
                headers.remove(HttpHeaders.PRAGMA);
                headers.remove(HttpHeaders.EXPIRES);
            }
            if (secure) {
                headers.set("Strict-Transport-Security", HSTS);
            } else {
                headers.remove("Strict-Transport-Security");
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private boolean isHttps(ServerHttpRequest request) {
        if (request.getSslInfo() != null) {
            return true;
        }
        if (!proxies.isTrustedProxy(request.getRemoteAddress())) {
            return false;
        }
        List<String> values = request.getHeaders().getOrDefault(FORWARDED_PROTO, List.of());
        if (values.isEmpty()) {
            return false;
        }
        // the nearest proxy's value is the last one
        String last = values.get(values.size() - 1);
        String[] hops = last.split(",");
        return "https".equals(hops[hops.length - 1].strip().toLowerCase(Locale.ROOT));
    }
}
