package dev.concierge.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.concierge.gateway.config.RateLimitProperties;

class SecurityHeadersFilterTest {

    private static HttpHeaders respond(SecurityHeadersFilter filter, MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, done -> done.getResponse().setComplete()).block(Duration.ofSeconds(5));
        return exchange.getResponse().getHeaders();
    }

    private static SecurityHeadersFilter trusting(String... proxies) {
        return new SecurityHeadersFilter(new RateLimitProperties(false, "standard", Map.of(), Duration.ofMillis(500),
                Duration.ofSeconds(5), List.of(proxies)));
    }

    @Test
    void believesXForwardedProtoOnlyFromATrustedProxy() {
        MockServerHttpRequest.BaseBuilder<?> viaProxy = MockServerHttpRequest.get("/api/search")
                .header("X-Forwarded-Proto", "https")
                .remoteAddress(new InetSocketAddress("10.0.0.7", 40000));

        assertThat(respond(trusting("10.0.0.0/8"), viaProxy.build()).getFirst("Strict-Transport-Security"))
                .isEqualTo(SecurityHeadersFilter.HSTS);
        assertThat(respond(trusting(), viaProxy.build()).containsHeader("Strict-Transport-Security")).isFalse();
        assertThat(respond(trusting("192.168.0.0/16"), viaProxy.build()).containsHeader("Strict-Transport-Security"))
                .isFalse();
    }

    @Test
    void readsTheNearestProxysProtocol() {
        MockServerHttpRequest spoofed = MockServerHttpRequest.get("/api/search")
                .header("X-Forwarded-Proto", "https, http")
                .remoteAddress(new InetSocketAddress("10.0.0.7", 40000)).build();

        assertThat(respond(trusting("10.0.0.0/8"), spoofed).containsHeader("Strict-Transport-Security")).isFalse();
    }

    @Test
    void doesNotForbidCachingOutsideTheApi() {
        HttpHeaders headers = respond(trusting(), MockServerHttpRequest.get("/actuator/health").build());

        assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(headers.getCacheControl()).isNull();
    }

}
