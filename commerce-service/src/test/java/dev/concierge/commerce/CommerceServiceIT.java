package dev.concierge.commerce;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Real PostgreSQL (concierge_commerce_test), migrated by Flyway at start-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the same settings as WooCommerceStoreIT, so both share one application context and broker
        "PG_DATABASE=concierge_commerce_test", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "COMMERCE_ENCRYPTION_KEY=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "COMMERCE_ALLOW_PRIVATE_HOSTS=true",
        "COMMERCE_STORE_RETRY_BACKOFF=PT0.01S", "COMMERCE_STORE_RETRIES=2", "COMMERCE_STORE_TIMEOUT=PT3S",
        "COMMERCE_PUBLIC_URL=https://concierge.example"})
@AutoConfigureWebTestClient
@org.springframework.kafka.test.context.EmbeddedKafka(partitions = 1)
class CommerceServiceIT {

    @Autowired WebTestClient web;
    @Autowired DatabaseClient db;

    @BeforeEach
    void clean() {
        db.sql("truncate store_connections").then().block();
    }

    @Test
    void aTenantWithoutAStoreReadsAsNotConnected() {
        web.get().uri("/api/commerce/connection").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.connected").isEqualTo(false).jsonPath("$.status").isEqualTo("not_connected");
    }

    @Test
    void aConnectedTenantSeesOnlyItsOwnConnection() {
        db.sql("insert into store_connections (tenant_id, platform, store_url, status) values ('t1', 'woocommerce', 'https://shop.example', 'connected')")
                .then().block();
        web.get().uri("/api/commerce/connection").header("X-Tenant-Id", "t1").exchange()
                .expectBody().jsonPath("$.connected").isEqualTo(true).jsonPath("$.store_url").isEqualTo("https://shop.example");
        web.get().uri("/api/commerce/connection").header("X-Tenant-Id", "t2").exchange()
                .expectBody().jsonPath("$.connected").isEqualTo(false);
    }

    @Test
    void readinessIsReported() {
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    /** The chat agent's commerce tools exist with their validation, and say honestly that no store is connected. */
    @Test
    void theToolsAnswerNotConnectedUntilAStoreIsConnected() {
        web.get().uri("/api/commerce/products?q=pump&limit=3").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://concierge.dev/problems/store-not-connected")
                .jsonPath("$.connected").isEqualTo(false);
        web.get().uri("/api/commerce/products/CS-PUMP-01/stock").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isEqualTo(409);
        web.post().uri("/api/commerce/orders/lookup").header("X-Tenant-Id", "t1")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"order_number\":\"1234\",\"email\":\"ann@example.com\"}").exchange()
                .expectStatus().isEqualTo(409);
        db.sql("insert into store_connections (tenant_id, platform, store_url, status) values ('t1', 'woocommerce', 'https://shop.example', 'connected')")
                .then().block();
        web.get().uri("/api/commerce/products/42").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.connected").isEqualTo(true);
    }

    @Test
    void toolArgumentsAreValidatedNamingTheField() {
        web.get().uri("/api/commerce/products?q=").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("q");
        web.get().uri("/api/commerce/products?q=pump&limit=500").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
        web.get().uri("/api/commerce/products/{ref}", "bad ref!").header("X-Tenant-Id", "t1").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("ref");
        web.post().uri("/api/commerce/orders/lookup").header("X-Tenant-Id", "t1")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"order_number\":\"1234\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
        web.get().uri("/api/commerce/products?q=pump").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("domain");
    }
}
