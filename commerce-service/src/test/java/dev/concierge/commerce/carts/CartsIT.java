package dev.concierge.commerce.carts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carts reported by the store or the widget, on the real PostgreSQL and an embedded KRaft broker: an idle cart is
 * published on commerce.cart-abandoned.v1 once, an updated one revives and can be abandoned again, and carts that
 * were checked out or emptied never are. The threshold is three seconds here (an hour by default): far longer
 * than the few milliseconds between a cart's creation and its checkout in the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "PG_DATABASE=concierge_commerce_test", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "COMMERCE_ENCRYPTION_KEY=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
        "COMMERCE_CART_ABANDON_AFTER=PT3S", "COMMERCE_CART_SWEEP=PT0.3S"})
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
class CartsIT {

    private static final String TENANT = "tenant-carts";
    /** The validation test's tenant: its carts never mix with the events the other test counts. */
    private static final String OTHER = "tenant-carts-validation";

    @Autowired WebTestClient web;
    @Autowired DatabaseClient db;
    @Autowired EmbeddedKafkaBroker broker;
    @Autowired JsonMapper json;

    private Consumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db.sql("truncate carts").then().block();
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "carts-" + System.nanoTime(), false);
        props.put("auto.offset.reset", "latest");
        consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.CART_ABANDONED.name()));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
    }

    @AfterEach
    void tearDown() {
        consumer.close();
    }

    @Test
    void anIdleCartIsPublishedAsAbandonedOnceAndAgainAfterItWasUpdated() {
        put("visitor-1", """
                {"items":[{"product_id":103,"sku":"CS-PU-TRK","name":"TrackPro Floor Pump","quantity":1,"price":"44.95"}],
                 "total":"44.95","currency":"EUR"}""").expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("active").jsonPath("$.items[0].sku").isEqualTo("CS-PU-TRK");
        put("visitor-2", "{\"items\":[{\"name\":\"Gift card\",\"quantity\":1}]}").expectStatus().isOk();
        web.post().uri("/api/commerce/carts/visitor-2/checkout").header("X-Tenant-Id", TENANT).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("checked_out");
        put("visitor-3", "{\"items\":[{\"name\":\"Gift card\",\"quantity\":1}]}").expectStatus().isOk();
        put("visitor-3", "{\"items\":[]}").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("emptied");

        List<JsonNode> abandoned = awaitEvents("visitor-1", 1);
        JsonNode event = abandoned.get(0);
        assertThat(event.get("tenant_id").asString()).isEqualTo(TENANT);
        assertThat(event.get("session_id").asString()).isEqualTo("visitor-1");
        assertThat(event.get("items").get(0).get("product_id").asLong()).isEqualTo(103);
        assertThat(event.get("total").asString()).isEqualTo("44.95");
        assertThat(seen).filteredOn(r -> r.key().endsWith(":visitor-1")).first()
                .satisfies(r -> assertThat(r.key()).isEqualTo(TENANT + ":visitor-1"));
        web.get().uri("/api/commerce/carts/visitor-1").header("X-Tenant-Id", TENANT).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("abandoned");

        // the shopper comes back and changes the cart: active again, and abandoned again later (a second event)
        put("visitor-1", """
                {"items":[{"product_id":103,"sku":"CS-PU-TRK","name":"TrackPro Floor Pump","quantity":2,"price":"44.95"}],
                 "total":"89.90","currency":"EUR"}""").expectBody().jsonPath("$.status").isEqualTo("active");
        List<JsonNode> twice = awaitEvents("visitor-1", 2);
        assertThat(twice.get(1).get("total").asString()).isEqualTo("89.90");
        assertThat(twice).extracting(e -> e.get("session_id").asString()).containsExactly("visitor-1", "visitor-1");
        // by now the checked-out and the emptied carts have been idle more than twice the threshold: never published
        assertThat(seen).extracting(ConsumerRecord::key).allMatch(k -> k.endsWith(":visitor-1"));
    }

    @Test
    void badCartsAreProblemsNamingTheField() {
        put(OTHER, "visitor-9", "{\"items\":[{\"name\":\"Pump\",\"quantity\":0}]}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("items[0].quantity");
        put(OTHER, "visitor-9", "{\"items\":[{\"quantity\":1}]}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("items[0].name");
        put(OTHER, "visitor-9", "{\"items\":[],\"total\":\"ten\"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("total");
        put(OTHER, "visitor-9", "{}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("items");
        put(OTHER, "bad session!", "{\"items\":[]}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("session_id");
        web.get().uri("/api/commerce/carts/nobody").header("X-Tenant-Id", OTHER).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // another tenant's cart is not visible
        put(OTHER, "visitor-9", "{\"items\":[{\"name\":\"Pump\",\"quantity\":1}]}").expectStatus().isOk();
        web.get().uri("/api/commerce/carts/visitor-9").header("X-Tenant-Id", TENANT).exchange()
                .expectStatus().isNotFound();
        web.delete().uri("/api/commerce/carts/visitor-9").header("X-Tenant-Id", OTHER).exchange().expectStatus().isNoContent();
        web.get().uri("/api/commerce/carts/visitor-9").header("X-Tenant-Id", OTHER).exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec put(String session, String body) {
        return put(TENANT, session, body);
    }

    private WebTestClient.ResponseSpec put(String tenant, String session, String body) {
        return web.put().uri("/api/commerce/carts/{s}", session).header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** The abandoned-cart events of {@code session} once there are {@code n} (a previous test's carts are ignored). */
    private List<JsonNode> awaitEvents(String session, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.key().startsWith(TENANT + ":visitor-")) {
                    seen.add(r);
                }
            });
            return seen.stream().filter(r -> r.key().equals(TENANT + ":" + session)).count() >= n;
        });
        return seen.stream().filter(r -> r.key().equals(TENANT + ":" + session)).map(r -> json.readTree(r.value())).toList();
    }
}
