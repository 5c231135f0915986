package dev.concierge.commerce;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Real PostgreSQL (concierge_commerce_test), migrated by Flyway at start-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "PG_DATABASE=concierge_commerce_test")
@AutoConfigureWebTestClient
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
}
