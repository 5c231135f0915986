package dev.concierge.gateway.auth;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.concierge.gateway.auth.internal.AuthFailures;
import dev.concierge.gateway.auth.internal.Credentials;
import dev.concierge.gateway.errors.ProblemException;
import reactor.core.publisher.Mono;

/**
 * Lets only the admin key ({@code Authorization: Bearer $CONCIERGE_ADMIN_KEY}) into {@code /api/admin/**}.
 * The path is matched the way request mappings match it (decoded segments, matrix variables ignored), so no
 * spelling of the path reaches the admin controllers without passing here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdminApiFilter implements WebFilter {

    private static final PathPattern ADMIN_API = PathPatternParser.defaultInstance.parse("/api/admin/**");

    private final AdminKey adminKey;
    private final AuthFailures failures;

    public AdminApiFilter(AdminKey adminKey, AuthFailures failures) {
        this.adminKey = adminKey;
        this.failures = failures;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!ADMIN_API.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        // a client with too many failed authentications is refused, even with the right key, until its window ends
        ProblemException blocked = failures.refusalIfBlocked(exchange);
        if (blocked != null) {
            return Mono.error(blocked);
        }
        Credentials credentials = Credentials.from(exchange.getRequest().getHeaders());
        if (!adminKey.matches(credentials.bearer())) {
            ProblemException refused = ProblemException.unauthorized(
                    "The admin API requires the admin key: Authorization: Bearer <CONCIERGE_ADMIN_KEY>");
            // a wrong key counts as a failed authentication; no key at all does not
            return credentials.bearer() == null ? Mono.error(refused) : failures.failed(exchange, refused);
        }
        return chain.filter(exchange);
    }
}
