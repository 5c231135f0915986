package dev.concierge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/** The gateway with nothing listening where Redis should be: it fails open, and says so. */
@ExtendWith(OutputCaptureExtension.class)
class RedisDownIT extends GatewayIntegrationTest {

    @DynamicPropertySource
    static void redisNowhere(DynamicPropertyRegistry registry) {
        int unusedPort = unusedPort();
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + unusedPort);
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void letsRequestsThroughUnlimitedAndWarnsOnce(CapturedOutput output) {
        CreatedTenant tenant = createTenant("limited.example", Map.of("rate_limit_plan", "tiny"));

        for (int i = 0; i < 10; i++) {
            http.get().uri("/api/search/products")
                    .headers(h -> h.setBearerAuth(tenant.apiKey()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist("X-RateLimit-Remaining");
        }

        assertThat(output.getAll()).containsOnlyOnce("Rate limiting is OFF");
        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).containsPattern("concierge_ratelimit_fail_open_total\\{[^}]*} (1\\d|[2-9]\\d|\\d{3,})");
    }

    @Test
    void reportsRedisDownInHealthButStaysLiveAndReady() {
        JsonNode health = json(http.get().uri("/api/health")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult().getResponseBody());

        assertThat(health.get("status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/services/redis").asString()).isEqualTo("DOWN");
        assertThat(health.at("/services/gateway-service").asString()).isEqualTo("UP");
        assertThat(health.at("/services/chat-service").asString()).isEqualTo("UP");

        http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503);
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
