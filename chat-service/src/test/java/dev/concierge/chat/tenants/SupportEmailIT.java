package dev.concierge.chat.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.contracts.TenantUpdated;
import dev.concierge.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The support e-mail address a store owner sets in the gateway's tenant settings reaches chat-service through
 * tenant.tenant-updated.v1 and is what the assistant offers when it cannot help; a replayed older event does
 * not bring an old address back, and the address is not redacted from the stored answer (it is the store's).
 */
class SupportEmailIT extends ChatServiceITSupport {

    private static final String TENANT = "tenant-support-" + System.nanoTime();

    @Test
    void anUnansweredQuestionOffersTheSupportAddressFromTheTenantSettings() throws Exception {
        Instant now = Instant.now();
        publish(event("help@cedar.example", now));
        awaitSupportEmail("help@cedar.example");
        publish(event("old@cedar.example", now.minusSeconds(60))); // a replay of an earlier change
        publish(event("help@cedar.example", now)); // and the same one again: both change nothing
        // one partition: once an event published after them is applied, they have been handled too
        String marker = "tenant-marker-" + System.nanoTime();
        publish(new TenantUpdated(marker, "marker.example", "M", TenantUpdated.ACTIVE, false, List.of(), "standard",
                null, List.of(TenantUpdated.CREATED), now));
        await().atMost(Duration.ofSeconds(20)).until(() -> db.sql("SELECT 1 FROM tenant_settings WHERE tenant_id = :t")
                .bind("t", marker).map((row, meta) -> 1).first().blockOptional().isPresent());
        assertThat(storedSupportEmail()).isEqualTo("help@cedar.example");

        JsonNode reply = chat(TENANT, "s-1", "Do you sell spaceships?");

        assertThat(reply.get("grounded").asBoolean()).isFalse();
        assertThat(reply.get("message").asString()).contains("help@cedar.example").doesNotContain("old@cedar.example");
        JsonNode transcript = transcriptOf(TENANT, reply.get("conversation_id").asString());
        JsonNode answer = transcript.get("messages").get(1);
        assertThat(answer.get("content").asString()).contains("help@cedar.example");
    }

    @Test
    void aTenantWithoutSupportAddressGetsTheGenericOffer() {
        JsonNode reply = chat("tenant-without-settings", "s-2", "Do you sell spaceships?");

        assertThat(reply.get("message").asString()).contains("contact the store's customer service").doesNotContain("@");
    }

    private TenantUpdated event(String email, Instant at) {
        return new TenantUpdated(TENANT, "cedar.example", "Cedar", TenantUpdated.ACTIVE, true, List.of(),
                "standard", email, List.of(TenantUpdated.SUPPORT_EMAIL), at);
    }

    private void publish(TenantUpdated event) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_UPDATED.name(), event.tenantId(),
                    json.writeValueAsString(event))).get();
        }
    }

    private void awaitSupportEmail(String expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(storedSupportEmail()).isEqualTo(expected));
    }

    private String storedSupportEmail() {
        return db.sql("SELECT support_email FROM tenant_settings WHERE tenant_id = :t").bind("t", TENANT)
                .map((row, meta) -> row.get("support_email", String.class)).first().block();
    }
}
