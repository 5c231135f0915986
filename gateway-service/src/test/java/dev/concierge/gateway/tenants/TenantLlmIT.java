package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import dev.concierge.gateway.support.TenantEvents;
import tools.jackson.databind.JsonNode;

/**
 * The tenant's {@code llm} setting: created, changed and shown by the admin API, its API key stored and published
 * only encrypted (AES-GCM under TENANT_SECRETS_KEY, here unset: the development key) and never shown, logged or
 * dropped by other changes.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantLlmIT extends GatewayIntegrationTest {

    /** TENANT_SECRETS_KEY's development default, as documented (chat-service uses the same). */
    private static final String DEVELOPMENT_KEY = "LOCIlimbzuHJSUATfJXuacN6a+2V1KSSFDe+ht/ONeY=";
    private static final String API_KEY = "sk-tenant-secret-0123456789-WXYZ";
    private static final String OTHER_KEY = "sk-another-secret-9876543210-QRST";

    @Autowired
    DatabaseClient database;

    @Autowired
    EmbeddedKafkaBroker broker;

    private static Map<String, Object> openAi(String apiKey) {
        Map<String, Object> llm = new LinkedHashMap<>();
        llm.put("provider", "openai");
        llm.put("base_url", "https://93.184.216.34/v1/");
        llm.put("model", "gpt-4o-mini");
        llm.put("api_key", apiKey);
        return llm;
    }

    @Test
    void aTenantsOwnModelIsShownWithoutItsKeyWhichIsStoredOnlyEncryptedAndNeverLogged(CapturedOutput output) {
        byte[] created = http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("domain", "llm.example", "llm", openAi(API_KEY)))
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        JsonNode body = json(created);
        String id = body.get("tenant_id").asString();
        assertThat(new String(created, StandardCharsets.UTF_8)).doesNotContain(API_KEY);
        assertShowsOpenAi(body.get("llm"), "https://93.184.216.34/v1", "gpt-4o-mini", "WXYZ");

        byte[] shown = http.get().uri("/api/admin/tenants/{id}", id).headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        assertThat(new String(shown, StandardCharsets.UTF_8)).doesNotContain(API_KEY).doesNotContain("api_key_encrypted");
        assertShowsOpenAi(json(shown).get("llm"), "https://93.184.216.34/v1", "gpt-4o-mini", "WXYZ");
        byte[] listed = http.get().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        assertThat(new String(listed, StandardCharsets.UTF_8)).doesNotContain(API_KEY).contains("\"api_key_hint\":\"WXYZ\"");

        String row = database.sql("SELECT row_to_json(t)::text AS row FROM tenants t WHERE id = :id")
                .bind("id", UUID.fromString(id)).map(r -> r.get("row", String.class)).one().block();
        assertThat(row).doesNotContain(API_KEY).doesNotContain(API_KEY.substring(0, 20));
        String sealed = storedCiphertext(id);
        assertThat(sealed).isNotBlank().doesNotContain(API_KEY);
        assertThat(decrypt(sealed, id)).isEqualTo(API_KEY);

        patchTenant(id, "{\"llm\":" + JSON.writeValueAsString(openAi(OTHER_KEY)) + "}");
        String resealed = storedCiphertext(id);
        assertThat(decrypt(resealed, id)).isEqualTo(OTHER_KEY);
        assertThat(output.getAll()).doesNotContain(API_KEY).doesNotContain(OTHER_KEY).doesNotContain(sealed);
    }

    @Test
    void theSameKeyIsSealedWithAFreshNonceAndOnlyForItsTenant() {
        String first = createTenant("one.example", Map.of("llm", openAi(API_KEY))).id();
        String second = createTenant("two.example", Map.of("llm", openAi(API_KEY))).id();

        assertThat(storedCiphertext(first)).isNotEqualTo(storedCiphertext(second));
        assertThat(decrypt(storedCiphertext(first), first)).isEqualTo(API_KEY);
        assertThatDecryptFails(storedCiphertext(first), second);
    }

    @Test
    void patchingTheModelKeepsTheKeyOfflineDropsItAndNullReturnsToThePlatformDefault() {
        String id = createTenant("switch.example").id();
        assertThat(tenant(id).get("llm").isNull()).isTrue();

        patchTenant(id, "{\"llm\":" + JSON.writeValueAsString(openAi(API_KEY)) + "}");
        String sealed = storedCiphertext(id);
        JsonNode changedModel = patchTenant(id, "{\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"}}");
        assertShowsOpenAi(changedModel.get("llm"), "https://93.184.216.34/v1", "gpt-4o", "WXYZ");
        assertThat(storedCiphertext(id)).isEqualTo(sealed);

        JsonNode offline = patchTenant(id, "{\"llm\":{\"provider\":\"offline\"}}");
        assertThat(offline.get("llm").get("provider").asString()).isEqualTo("offline");
        assertThat(offline.get("llm").get("api_key_set").asBoolean()).isFalse();
        assertThat(offline.get("llm").get("base_url").isNull()).isTrue();
        assertThat(storedCiphertext(id)).isNull();

        assertThat(patchTenant(id, "{\"llm\":null}").get("llm").isNull()).isTrue();
        assertThat(tenant(id).get("llm").isNull()).isTrue();
    }

    @Test
    void otherChangesAndKeyRotationKeepTheModel() {
        String id = createTenant("keep.example", Map.of("llm", openAi(API_KEY))).id();
        String sealed = storedCiphertext(id);

        patchTenant(id, "{\"name\":\"Renamed\",\"support_email\":\"help@keep.example\",\"status\":\"disabled\"}");
        for (String key : List.of("api_key", "widget_key")) {
            http.post().uri("/api/admin/tenants/{id}/keys/rotate", id).headers(h -> h.setBearerAuth(ADMIN_KEY))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"key\":\"" + key + "\"}")
                    .exchange().expectStatus().isOk();
        }

        assertShowsOpenAi(tenant(id).get("llm"), "https://93.184.216.34/v1", "gpt-4o-mini", "WXYZ");
        assertThat(storedCiphertext(id)).isEqualTo(sealed);
    }

    @Test
    void baseUrlMustBeHttpsOnThePublicInternet() {
        // a literal public address needs no DNS (none here)
        assertThat(http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("domain", "public-llm.example", "llm", Map.of("provider", "openai",
                        "base_url", "https://93.184.216.34:8443/v1", "model", "m", "api_key", API_KEY)))
                .exchange().expectStatus().isCreated());
        for (String refused : List.of("http://93.184.216.34/v1", "https://127.0.0.1:8080/v1", "https://10.1.2.3/v1",
                "https://169.254.169.254/latest", "https://100.64.0.1/v1", "https://[::1]/v1",
                "https://[::ffff:192.168.0.1]/v1", "https://localhost/v1")) {
            JsonNode problem = expectProblem(http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "bad.example", "llm",
                            Map.of("provider", "openai", "base_url", refused, "model", "m", "api_key", API_KEY)))
                    .exchange(), 400);
            assertThat(problem.get("errors").valueStream().map(error -> error.get("field").asString()).toList())
                    .as(refused).containsExactly("llm.base_url");
        }
        assertThat(database.sql("SELECT count(*) AS n FROM tenants WHERE domain = 'bad.example'")
                .map(r -> r.get("n", Long.class)).one().block()).isZero();

        String id = createTenant("private-llm.example").id();
        assertThat(fieldsOfPatch(id, "{\"llm\":{\"provider\":\"openai\",\"base_url\":\"https://169.254.169.254/v1\","
                + "\"model\":\"m\",\"api_key\":\"k\"}}")).containsExactly("llm.base_url");
        assertThat(fieldsOfPatch(id, "{\"llm\":{\"provider\":\"openai\",\"base_url\":\"http://93.184.216.34/v1\","
                + "\"model\":\"m\",\"api_key\":\"k\"}}")).containsExactly("llm.base_url");
        assertThat(tenant(id).get("llm").isNull()).isTrue();
    }

    @Test
    void invalidSettingsAreRefusedNamingTheField() {
        assertThat(fieldsOfCreate(Map.of("provider", "gpt"))).containsExactly("llm.provider");
        assertThat(fieldsOfCreate(Map.of("model", "gpt-4o-mini"))).containsExactly("llm.provider");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "base_url", "ftp://llm.example", "model", "m",
                "api_key", "k"))).containsExactly("llm.base_url");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "base_url", "llm.example/v1", "model", "m",
                "api_key", "k"))).containsExactly("llm.base_url");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "base_url", "https://user:pw@llm.example/v1",
                "model", "m", "api_key", "k"))).containsExactly("llm.base_url");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "model", "gpt-4o-mini"))).containsExactly("llm.api_key");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "api_key", API_KEY))).containsExactly("llm.model");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "model", "x".repeat(201), "api_key", API_KEY)))
                .containsExactly("llm.model");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "model", "m", "api_key", "k".repeat(513))))
                .containsExactly("llm.api_key");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "model", "m", "api_key", "sk with space")))
                .containsExactly("llm.api_key");
        assertThat(fieldsOfCreate(Map.of("provider", "openai", "model", 4, "api_key", API_KEY)))
                .containsExactly("llm.model");
        assertThat(fieldsOfCreate(Map.of("provider", "offline", "api_key", API_KEY))).containsExactly("llm.api_key");
        assertThat(fieldsOfCreate(Map.of("provider", "offline", "temperature", "1"))).containsExactly("llm.temperature");
        assertThat(fieldsOf(http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"bad.example\",\"llm\":\"openai\"}").exchange())).containsExactly("llm");
        assertThat(database.sql("SELECT count(*) AS n FROM tenants").map(r -> r.get("n", Long.class)).one().block())
                .isZero();

        String id = createTenant("patch.example").id();
        assertThat(fieldsOfPatch(id, "{\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}}"))
                .containsExactly("llm.api_key");
        patchTenant(id, "{\"llm\":" + JSON.writeValueAsString(openAi(API_KEY)) + "}");
        // the stored key is never sent to an endpoint it was not given for
        JsonNode problem = expectProblem(patch(id,
                "{\"llm\":{\"provider\":\"openai\",\"base_url\":\"https://93.184.216.35/v1\"}}"), 400);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("llm.api_key");
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("base_url");
        assertThat(fieldsOfPatch(id, "{\"llm\":{\"provider\":\"openai\",\"base_url\":\"http://\"}}"))
                .containsExactly("llm.base_url");
        assertShowsOpenAi(tenant(id).get("llm"), "https://93.184.216.34/v1", "gpt-4o-mini", "WXYZ");
    }

    @Test
    void eventsCarryTheChoiceWithTheKeyOnlyEncrypted() {
        createUnverifiedTenant("first.example"); // the topic exists once the first event was published
        try (TenantEvents events = new TenantEvents(broker.getBrokersAsString())) {
            String id = createTenant("events.example", Map.of("llm", openAi(API_KEY))).id();
            patchTenant(id, "{\"name\":\"Events\"}");
            patchTenant(id, "{\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"}}");
            patchTenant(id, "{\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"}}"); // no change, no event
            patchTenant(id, "{\"llm\":{\"provider\":\"offline\"}}");
            patchTenant(id, "{\"llm\":null}");

            List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(30))
                    .until(() -> events.of(id), list -> list.size() >= 5);

            assertThat(published).hasSize(5);
            for (ConsumerRecord<String, String> record : published) {
                assertThat(record.value()).doesNotContain(API_KEY).doesNotContain("\"api_key\"");
                assertThat(TenantEvents.validate(record.value())).isEmpty();
            }
            List<JsonNode> values = published.stream().map(record -> json(record.value().getBytes())).toList();
            assertThat(values).extracting(v -> v.get("changed_fields").valueStream().map(JsonNode::asString).toList())
                    .containsExactly(List.of("created"), List.of("name"), List.of("llm"), List.of("llm"),
                            List.of("llm"));
            JsonNode first = values.get(0).get("llm");
            assertThat(first.get("provider").asString()).isEqualTo("openai");
            assertThat(first.get("base_url").asString()).isEqualTo("https://93.184.216.34/v1");
            assertThat(first.get("model").asString()).isEqualTo("gpt-4o-mini");
            assertThat(decrypt(first.get("api_key_encrypted").asString(), id)).isEqualTo(API_KEY);
            assertThat(decrypt(values.get(1).get("llm").get("api_key_encrypted").asString(), id)).isEqualTo(API_KEY);
            assertThat(values.get(2).get("llm").get("model").asString()).isEqualTo("gpt-4o");
            assertThat(decrypt(values.get(2).get("llm").get("api_key_encrypted").asString(), id)).isEqualTo(API_KEY);
            assertThat(values.get(3).get("llm").get("provider").asString()).isEqualTo("offline");
            assertThat(values.get(3).get("llm").get("api_key_encrypted").isNull()).isTrue();
            assertThat(values.get(4).get("llm").isNull()).isTrue();
        }
    }

    private static void assertShowsOpenAi(JsonNode llm, String baseUrl, String model, String hint) {
        assertThat(llm.get("provider").asString()).isEqualTo("openai");
        assertThat(llm.get("base_url").asString()).isEqualTo(baseUrl);
        assertThat(llm.get("model").asString()).isEqualTo(model);
        assertThat(llm.get("api_key_set").asBoolean()).isTrue();
        assertThat(llm.get("api_key_hint").asString()).isEqualTo(hint);
        assertThat(llm.has("api_key")).isFalse();
        assertThat(llm.has("api_key_encrypted")).isFalse();
    }

    private JsonNode tenant(String id) {
        return json(http.get().uri("/api/admin/tenants/{id}", id).headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private String storedCiphertext(String id) {
        return database.sql("SELECT llm_api_key_encrypted FROM tenants WHERE id = :id")
                .bind("id", UUID.fromString(id))
                .map(r -> java.util.Optional.ofNullable(r.get("llm_api_key_encrypted", String.class)))
                .one().block().orElse(null);
    }

    private List<String> fieldsOfCreate(Map<String, Object> llm) {
        return fieldsOf(http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "bad.example", "llm", llm))
                .exchange());
    }

    private List<String> fieldsOfPatch(String id, String body) {
        return fieldsOf(patch(id, body));
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec patch(String id, String body) {
        return http.patch().uri("/api/admin/tenants/{id}", id).headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static List<String> fieldsOf(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec response) {
        JsonNode problem = expectProblem(response, 400);
        assertThat(problem.toString()).doesNotContain(API_KEY);
        return problem.get("errors").valueStream().map(error -> error.get("field").asString()).toList();
    }

    /** Opens a sealed value as any holder of TENANT_SECRETS_KEY would: base64(nonce || ciphertext), AAD tenant id. */
    private static String decrypt(String sealed, String tenantId) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(DEVELOPMENT_KEY), "AES"),
                    new GCMParameterSpec(128, in, 0, 12));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertThatDecryptFails(String sealed, String tenantId) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decrypt(sealed, tenantId))
                .isInstanceOf(IllegalStateException.class);
    }
}
