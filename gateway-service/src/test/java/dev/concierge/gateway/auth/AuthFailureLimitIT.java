package dev.concierge.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Failed authentications per client address (concierge.auth-failures.*), against the real Redis: here at most 5 in a
 * window of 2 s. Each test is a client of its own (X-Forwarded-For through the trusted loopback proxy), random per
 * run, so counts left in Redis by earlier runs do not matter.
 */
class AuthFailureLimitIT extends GatewayIntegrationTest {

    private static final int LIMIT = 5;

    @DynamicPropertySource
    static void authFailureLimit(DynamicPropertyRegistry registry) {
        registry.add("concierge.auth-failures.limit", () -> String.valueOf(LIMIT));
        registry.add("concierge.auth-failures.window", () -> "2s");
    }

    @Autowired
    ReactiveRedisConnectionFactory redisConnections;

    private static String newClient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.18." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private EntityExchangeResult<byte[]> search(String client, String bearer) {
        return http.get().uri("/api/search/docs")
                .headers(h -> {
                    h.set("X-Forwarded-For", client);
                    if (bearer != null) {
                        h.setBearerAuth(bearer);
                    }
                })
                .exchange().expectBody().returnResult();
    }

    private static JsonNode problemOf(EntityExchangeResult<byte[]> result) {
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return json(result.getResponseBody());
    }

    @Test
    void wrongApiKeysAreRefusedWith429AfterTheLimitUntilTheWindowEnds() {
        CreatedTenant tenant = createTenant("failures.example");
        String attacker = newClient();
        for (int i = 0; i < LIMIT; i++) {
            assertThat(search(attacker, "wrong-key-" + i).getStatus().value()).as("failure %d", i + 1).isEqualTo(401);
        }
        EntityExchangeResult<byte[]> refused = search(attacker, "wrong-key-over");
        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(Long.parseLong(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 2L);
        JsonNode problem = problemOf(refused);
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("detail").asString()).contains("Too many failed authentications");

        // blocked: refused before any key lookup, a valid key too (the address is flooding)
        EntityExchangeResult<byte[]> validButBlocked = search(attacker, tenant.apiKey());
        assertThat(validButBlocked.getStatus().value()).isEqualTo(429);
        assertThat(validButBlocked.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        assertThat(SEARCH.requests()).isZero();

        // another address is not affected
        assertThat(search(newClient(), tenant.apiKey()).getStatus().value()).isEqualTo(200);

        // after the window the client is let in again
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250))
                .until(() -> search(attacker, tenant.apiKey()).getStatus().value() == 200);
        assertThat(search(attacker, "wrong-again").getStatus().value()).isEqualTo(401);
    }

    @Test
    void unknownWidgetKeysAndWrongAdminKeysCountToo() {
        String attacker = newClient();
        for (int i = 0; i < 3; i++) {
            int status = http.post().uri("/api/chat/messages")
                    .header("X-Forwarded-For", attacker)
                    .header("X-Widget-Key", "wk_unknown_" + i)
                    .header(HttpHeaders.ORIGIN, "https://shop.example")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"hi\"}")
                    .exchange().expectBody().returnResult().getStatus().value();
            assertThat(status).isEqualTo(404);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(admin(attacker, "not-the-admin-key").getStatus().value()).isEqualTo(401);
        }
        EntityExchangeResult<byte[]> refused = admin(attacker, "not-the-admin-key");
        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(problemOf(refused).get("detail").asString()).contains("Too many failed authentications");
        // the right admin key from the flooding address waits too; from elsewhere it works
        assertThat(admin(attacker, ADMIN_KEY).getStatus().value()).isEqualTo(429);
        assertThat(admin(newClient(), ADMIN_KEY).getStatus().value()).isEqualTo(200);
    }

    @Test
    void successfulAndKeylessRequestsNeverCount() {
        CreatedTenant tenant = createTenant("good.example");
        String client = newClient();
        for (int i = 0; i < 3 * LIMIT; i++) {
            assertThat(search(client, tenant.apiKey()).getStatus().value()).isEqualTo(200);
            assertThat(admin(client, ADMIN_KEY).getStatus().value()).isEqualTo(200);
            assertThat(search(client, null).getStatus().value()).isEqualTo(401); // missing credentials
        }
        // nothing was counted: no key in Redis at all (successful requests do not even ask Redis)
        ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(redisConnections);
        assertThat(redis.hasKey("auth-failures:" + client).block(Duration.ofSeconds(5))).isFalse();

        for (int i = 0; i < LIMIT; i++) {
            assertThat(search(client, "wrong-" + i).getStatus().value()).isEqualTo(401);
        }
        assertThat(search(client, "wrong-over").getStatus().value()).isEqualTo(429);
    }

    private EntityExchangeResult<byte[]> admin(String client, String bearer) {
        return http.get().uri("/api/admin/tenants")
                .headers(h -> {
                    h.set("X-Forwarded-For", client);
                    h.setBearerAuth(bearer);
                })
                .exchange().expectBody().returnResult();
    }
}
