package dev.concierge.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class HealthIT extends GatewayIntegrationTest {

    @Test
    void isUpWhenEveryServiceIsReady() {
        JsonNode health = json(http.get().uri("/api/health")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("services").propertyNames()).containsExactly("gateway-service", "chat-service",
                "search-service", "scraper-service", "commerce-service", "embedding-worker", "redis");
        assertThat(health.get("services").valueStream().map(JsonNode::asString)).containsOnly("UP");
    }

    @Test
    void isDownWith503WhenAServiceIsUnreachableOrNotReady() {
        EMBEDDING_WORKER.stop();
        SEARCH.setReady(false);

        JsonNode health = json(http.get().uri("/api/health")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult().getResponseBody());

        assertThat(health.get("status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/services/embedding-worker").asString()).isEqualTo("DOWN");
        assertThat(health.at("/services/search-service").asString()).isEqualTo("DOWN");
        assertThat(health.at("/services/chat-service").asString()).isEqualTo("UP");
        assertThat(health.at("/services/gateway-service").asString()).isEqualTo("UP");
        assertThat(health.at("/services/redis").asString()).isEqualTo("UP");
    }

    @Test
    void reportsItsOwnLiveness() {
        http.get().uri("/api/health/live")
                .exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"status\":\"UP\"}");
    }

    @Test
    void exposesProbesAndMetricsOnActuator() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }
}
