package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import dev.concierge.gateway.support.TcpForwarder;
import dev.concierge.gateway.support.TenantEvents;
import tools.jackson.databind.JsonNode;

/**
 * The gateway with no Kafka where it should be: tenant changes still succeed, their events wait in the outbox and
 * are published, in order, once Kafka answers on that address (a forwarder to the embedded broker, started late).
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantEventsKafkaDownIT extends GatewayIntegrationTest {

    private static final int KAFKA_PORT = unusedPort();

    @DynamicPropertySource
    static void kafkaNowhere(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + KAFKA_PORT);
    }

    @Autowired
    DatabaseClient database;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void changesSucceedWhileKafkaIsDownAndTheirEventsArePublishedWhenItIsBack(CapturedOutput output) {
        CreatedTenant tenant = createUnverifiedTenant("localhost");
        JsonNode disabled = patchTenant(tenant.id(), "{\"status\":\"disabled\"}");
        assertThat(disabled.get("status").asString()).isEqualTo("disabled");

        assertThat(pending()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains(
                "Tenant events are not being published"));
        assertThat(pending()).isEqualTo(2);

        String[] brokerAddress = broker.getBrokersAsString().split(",")[0].split(":");
        try (TcpForwarder kafkaIsBack = TcpForwarder.start(KAFKA_PORT, brokerAddress[0],
                Integer.parseInt(brokerAddress[1]));
                TenantEvents events = new TenantEvents(broker.getBrokersAsString())) {
            List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(60))
                    .until(() -> events.of(tenant.id()), list -> list.size() >= 2);
            assertThat(published).extracting(record -> json(record.value().getBytes()).get("changed_fields").get(0)
                    .asString()).containsExactly("created", "status");
            await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
            assertThat(output.getAll()).containsOnlyOnce("Tenant events are not being published")
                    .contains("Kafka acknowledges tenant events again");
        }
    }

    private long pending() {
        return database.sql("SELECT count(*) AS n FROM tenant_event_outbox").map(row -> row.get("n", Long.class))
                .one().block(Duration.ofSeconds(10));
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
