package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.gateway.support.GatewayIntegrationTest;
import dev.concierge.gateway.support.TenantEvents;
import tools.jackson.databind.JsonNode;

/** {@code tenant.tenant-updated.v1}: one event per change, in order, keyed by tenant, never with key material. */
class TenantEventsIT extends GatewayIntegrationTest {

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    DatabaseClient database;

    private TenantEvents events;

    @BeforeEach
    void consume() {
        // the topic exists once the first event was published
        createUnverifiedTenant("first.example");
        events = new TenantEvents(broker.getBrokersAsString());
    }

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void publishesRegistrationAndEveryChangeInOrderWithCloudEventsHeaders() {
        CreatedTenant tenant = createUnverifiedTenant("localhost", Map.of("support_email", "help@localhost.example"));
        patchTenant(tenant.id(), "{\"rate_limit_plan\":\"standard\"}"); // already its plan: no change, no event
        patchTenant(tenant.id(), "{\"name\":\"Local shop\",\"allowed_origins\":[\"https://localhost\"]}");
        patchTenant(tenant.id(), "{\"status\":\"disabled\"}");
        patchTenant(tenant.id(), "{\"status\":\"active\",\"support_email\":null}");
        String newKey = json(http.post().uri("/api/admin/tenants/{id}/keys/rotate", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"key\":\"api_key\"}")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody())
                .get("new_key").asString();
        String token = json(http.post().uri("/api/admin/tenants/{id}/verification", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()).get("token").asString();
        DNS.txt("_concierge-verify.localhost", token);
        http.post().uri("/api/admin/tenants/{id}/verification/verify", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange().expectStatus().isOk();

        List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(30))
                .until(() -> events.of(tenant.id()), list -> list.size() >= 6);

        assertThat(published).hasSize(6);
        List<JsonNode> values = published.stream().map(record -> json(record.value().getBytes())).toList();
        assertThat(values).extracting(value -> value.get("changed_fields").valueStream().map(JsonNode::asString)
                .toList()).containsExactly(
                        List.of("created"),
                        List.of("name", "allowed_origins"),
                        List.of("status"),
                        List.of("status", "support_email"),
                        List.of("api_key"),
                        List.of("verified"));
        assertThat(values).extracting(value -> value.get("status").asString())
                .containsExactly("active", "active", "disabled", "active", "active", "active");
        assertThat(values).extracting(value -> value.get("verified").asBoolean())
                .containsExactly(false, false, false, false, false, true);
        JsonNode created = values.get(0);
        assertThat(created.get("tenant_id").asString()).isEqualTo(tenant.id());
        assertThat(created.get("domain").asString()).isEqualTo("localhost");
        assertThat(created.get("rate_limit_plan").asString()).isEqualTo("standard");
        assertThat(created.get("support_email").asString()).isEqualTo("help@localhost.example");
        assertThat(values.get(1).get("name").asString()).isEqualTo("Local shop");
        assertThat(values.get(1).get("allowed_origins").valueStream().map(JsonNode::asString))
                .containsExactly("https://localhost");
        assertThat(values.get(3).get("support_email").isNull()).isTrue();

        Instant previous = Instant.EPOCH;
        for (ConsumerRecord<String, String> record : published) {
            assertThat(record.key()).isEqualTo(tenant.id());
            assertThat(TenantEvents.validate(record.value())).as(record.value()).isEmpty();
            assertThat(record.value()).doesNotContain(tenant.apiKey(), tenant.widgetKey(), newKey, "ck_live_", "cw_");
            assertThat(TenantEvents.header(record, CloudEventHeaders.TYPE))
                    .isEqualTo("dev.concierge.tenant.tenant-updated.v1");
            assertThat(TenantEvents.header(record, CloudEventHeaders.SOURCE)).isEqualTo("/gateway-service");
            assertThat(TenantEvents.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
            assertThat(UUID.fromString(TenantEvents.header(record, CloudEventHeaders.ID))).isNotNull();
            assertThat(record.headers().lastHeader("__TypeId__")).isNull();
            Instant updatedAt = Instant.parse(json(record.value().getBytes()).get("updated_at").asString());
            assertThat(updatedAt).isAfterOrEqualTo(previous);
            previous = updatedAt;
        }
        assertThat(published.stream().map(record -> TenantEvents.header(record, CloudEventHeaders.ID)).distinct())
                .hasSize(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> database.sql("SELECT count(*) AS n FROM tenant_event_outbox")
                .map(row -> row.get("n", Long.class)).one().block() == 0);
    }

    @Test
    void failedChangesPublishNothing() {
        CreatedTenant tenant = createUnverifiedTenant("localhost");
        createUnverifiedTenant("other.example");
        // rotating for a tenant that does not exist changes nothing; a duplicate domain fails the insert
        http.post().uri("/api/admin/tenants/{id}/keys/rotate", UUID.randomUUID())
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"key\":\"api_key\"}")
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"domain\":\"localhost\"}")
                .exchange().expectStatus().isEqualTo(409);
        patchTenant(tenant.id(), "{\"status\":\"disabled\"}");

        List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(30))
                .until(() -> events.of(tenant.id()), list -> list.size() >= 2);
        assertThat(published).extracting(record -> json(record.value().getBytes()).get("changed_fields").get(0)
                .asString()).containsExactly("created", "status");
    }
}
