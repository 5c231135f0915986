package dev.concierge.chat.support;

import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.TenantUpdated;
import dev.concierge.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes tenant.tenant-updated.v1 events carrying a tenant's {@code llm} choice, as gateway-service does: the
 * API key sealed with AES-256-GCM under the development TENANT_SECRETS_KEY (base64 of nonce || ciphertext, the
 * tenant id as associated data), and waits until chat-service stored the choice.
 */
public final class TenantLlmEvents {

    /** TENANT_SECRETS_KEY's development default, as documented (gateway-service uses the same). */
    public static final String DEVELOPMENT_KEY = "LOCIlimbzuHJSUATfJXuacN6a+2V1KSSFDe+ht/ONeY=";

    private final EmbeddedKafkaBroker broker;
    private final JsonMapper json;
    private final DatabaseClient db;

    public TenantLlmEvents(EmbeddedKafkaBroker broker, JsonMapper json, DatabaseClient db) {
        this.broker = broker;
        this.json = json;
        this.db = db;
    }

    /** {@code apiKey} sealed for {@code tenantId} as the gateway seals it. */
    public static String seal(String apiKey, String tenantId) {
        try {
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(DEVELOPMENT_KEY), "AES"),
                    new GCMParameterSpec(128, nonce));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(apiKey.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[12 + sealed.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TenantUpdated.Llm openAi(String baseUrl, String model, String sealedKey) {
        return new TenantUpdated.Llm(TenantUpdated.Llm.OPENAI, baseUrl, model, sealedKey);
    }

    public static TenantUpdated.Llm offline() {
        return new TenantUpdated.Llm(TenantUpdated.Llm.OFFLINE, null, null, null);
    }

    /** Publishes the tenant's settings with this {@code llm} (null: none) and waits until they are stored. */
    public void publish(String tenantId, TenantUpdated.Llm llm, Instant when) throws Exception {
        Instant at = when.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        TenantUpdated event = new TenantUpdated(tenantId, tenantId + ".example", "Shop", TenantUpdated.ACTIVE, true,
                List.of(), "standard", null, List.of(TenantUpdated.LLM), at, llm);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_UPDATED.name(), tenantId, json.writeValueAsString(event)))
                    .get();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> db.sql(
                        "SELECT 1 FROM tenant_settings WHERE tenant_id = :t AND updated_at = :at")
                .bind("t", tenantId).bind("at", at).map((row, meta) -> 1).first().blockOptional().isPresent());
    }
}
