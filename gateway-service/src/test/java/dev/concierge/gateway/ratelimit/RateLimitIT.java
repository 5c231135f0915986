package dev.concierge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits against the real Redis. The plan {@code tiny} (see {@link GatewayIntegrationTest}): tenant bucket
 * 2 tokens/s, burst 3; client-address bucket 1/s, burst 2. Redis refills once a second, so the tests count
 * requests until the first 429 rather than assume a number.
 */
class RateLimitIT extends GatewayIntegrationTest {

    private static final int ENOUGH_TO_EXHAUST = 30;

    private EntityExchangeResult<byte[]> search(CreatedTenant tenant) {
        return http.get().uri("/api/search/products")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .exchange()
                .expectBody().returnResult();
    }

    private EntityExchangeResult<byte[]> chat(CreatedTenant tenant, String clientIp) {
        return http.post().uri("/api/chat/messages")
                .header("X-Widget-Key", tenant.widgetKey())
                .header(HttpHeaders.ORIGIN, "https://" + tenant.domain())
                .header("X-Forwarded-For", clientIp)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}")
                .exchange()
                .expectBody().returnResult();
    }

    /** Sends requests until one is refused; that one, after asserting that at least {@code atLeast} passed. */
    private EntityExchangeResult<byte[]> untilRefused(java.util.function.Supplier<EntityExchangeResult<byte[]>> send,
            int atLeast) {
        int passed = 0;
        for (int i = 0; i < ENOUGH_TO_EXHAUST; i++) {
            EntityExchangeResult<byte[]> result = send.get();
            if (result.getStatus().value() == 429) {
                assertThat(passed).as("requests passed before the first 429").isGreaterThanOrEqualTo(atLeast);
                return result;
            }
            assertThat(result.getStatus().value()).isEqualTo(200);
            passed++;
        }
        throw new AssertionError("no 429 after " + ENOUGH_TO_EXHAUST + " requests");
    }

    @Test
    void reportsTheBucketOnEveryLimitedResponse() {
        CreatedTenant tenant = createTenant("limited.example", Map.of("rate_limit_plan", "tiny"));

        HttpHeaders headers = search(tenant).getResponseHeaders();

        assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo("2");
        assertThat(headers.getFirst("X-RateLimit-Replenish-Rate")).isEqualTo("2");
        assertThat(headers.getFirst("X-RateLimit-Burst-Capacity")).isEqualTo("3");
        assertThat(headers.getFirst("X-RateLimit-Requested-Tokens")).isEqualTo("1");
        assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(headers.containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void refusesATenantOverItsPlanWith429AndRetryAfterThenLetsItThroughAgain() {
        CreatedTenant tenant = createTenant("limited.example", Map.of("rate_limit_plan", "tiny"));

        EntityExchangeResult<byte[]> refused = untilRefused(() -> search(tenant), 3);

        HttpHeaders headers = refused.getResponseHeaders();
        assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(headers.getFirst("X-RateLimit-Burst-Capacity")).isEqualTo("3");
        assertThat(headers.getFirst("X-RateLimit-Replenish-Rate")).isEqualTo("2");
        assertThat(headers.getFirst("X-Request-Id")).isNotBlank();
        JsonNode problem = json(refused.getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(problem.get("rate_limit").asString()).isEqualTo("tenant");
        assertThat(problem.get("retry_after_seconds").asInt()).isEqualTo(1);
        assertThat(problem.toString()).doesNotContain("Exception").doesNotContain("redis");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> search(tenant).getStatus().value() == 200);
    }

    @Test
    void givesEveryTenantItsOwnBucket() {
        CreatedTenant busy = createTenant("busy.example", Map.of("rate_limit_plan", "tiny"));
        CreatedTenant quiet = createTenant("quiet.example", Map.of("rate_limit_plan", "tiny"));

        untilRefused(() -> search(busy), 3);

        EntityExchangeResult<byte[]> other = search(quiet);
        assertThat(other.getStatus().value()).isEqualTo(200);
        assertThat(other.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void limitsEachWidgetClientAddressBeforeTheWholeTenant() {
        CreatedTenant tenant = createTenant("widget.example", Map.of("rate_limit_plan", "tiny"));

        EntityExchangeResult<byte[]> refused = untilRefused(() -> chat(tenant, "203.0.113.7"), 2);

        assertThat(json(refused.getResponseBody()).get("rate_limit").asString()).isEqualTo("client_ip");
        assertThat(refused.getResponseHeaders().getFirst("X-RateLimit-Burst-Capacity")).isEqualTo("2");
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        // the browser may read the 429 and its headers
        assertThat(refused.getResponseHeaders().getAccessControlAllowOrigin()).isEqualTo("https://widget.example");
        assertThat(refused.getResponseHeaders().getAccessControlExposeHeaders()).contains("Retry-After");

        // another shopper of the same store still gets through
        assertThat(chat(tenant, "198.51.100.20").getStatus().value()).isEqualTo(200);
    }

    @Test
    void limitsEachAddressSendingStoreWebhooks() {
        java.util.function.Function<String, EntityExchangeResult<byte[]>> delivery = ip -> http.post()
                .uri("/api/commerce/webhooks/woocommerce/some-tenant")
                .header("X-Forwarded-For", ip)
                .header("X-WC-Webhook-Signature", "Zm9yZ2Vk")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\":1}")
                .exchange()
                .expectBody().returnResult();

        EntityExchangeResult<byte[]> refused = untilRefused(() -> delivery.apply("203.0.113.90"), 2);

        assertThat(json(refused.getResponseBody()).get("rate_limit").asString()).isEqualTo("client_ip");
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        // the keyless route draws on no tenant's bucket, and another sender is not affected
        assertThat(delivery.apply("198.51.100.91").getStatus().value()).isEqualTo(200);
    }

    @Test
    void doesNotLimitTheAdminKey() {
        createTenant("limited.example", Map.of("rate_limit_plan", "tiny"));

        for (int i = 0; i < 8; i++) {
            http.get().uri("/api/search/products?domain=limited.example")
                    .headers(h -> h.setBearerAuth(ADMIN_KEY))
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist("X-RateLimit-Remaining");
        }
    }

    @Test
    void appliesAChangedPlanAtOnce() {
        CreatedTenant tenant = createTenant("upgrade.example", Map.of("rate_limit_plan", "tiny"));
        untilRefused(() -> search(tenant), 3);

        patchTenant(tenant.id(), "{\"rate_limit_plan\":\"pro\"}");

        EntityExchangeResult<byte[]> upgraded = search(tenant);
        assertThat(upgraded.getStatus().value()).isEqualTo(200);
        assertThat(upgraded.getResponseHeaders().getFirst("X-RateLimit-Burst-Capacity")).isEqualTo("200");
    }
}
