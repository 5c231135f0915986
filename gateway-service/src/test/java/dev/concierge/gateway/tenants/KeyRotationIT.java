package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/** Key rotation with the test context's grace period ({@link GatewayIntegrationTest#GRACE}, 3 s). */
class KeyRotationIT extends GatewayIntegrationTest {

    private WebTestClient.ResponseSpec rotate(String tenantId, String body) {
        return http.post().uri("/api/admin/tenants/{id}/keys/rotate", tenantId)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private JsonNode rotated(String tenantId, String key) {
        return json(rotate(tenantId, "{\"key\":\"" + key + "\"}")
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());
    }

    private int searchWith(String apiKey) {
        return http.get().uri("/api/search/products")
                .headers(h -> h.setBearerAuth(apiKey))
                .exchange()
                .expectBody().returnResult().getStatus().value();
    }

    private int chatWith(String widgetKey) {
        return http.get().uri("/api/chat/history")
                .header("X-Widget-Key", widgetKey)
                .header(HttpHeaders.ORIGIN, "https://rotate.example")
                .exchange()
                .expectBody().returnResult().getStatus().value();
    }

    @Test
    void keepsTheOldApiKeyWorkingForTheGracePeriodThenRefusesItWith401() {
        CreatedTenant tenant = createTenant("rotate.example");
        assertThat(searchWith(tenant.apiKey())).isEqualTo(200); // now cached as the current key
        Instant before = Instant.now();

        JsonNode rotated = rotated(tenant.id(), "api_key");

        String newKey = rotated.get("new_key").asString();
        assertThat(rotated.get("tenant_id").asString()).isEqualTo(tenant.id());
        assertThat(rotated.get("key").asString()).isEqualTo("api_key");
        assertThat(newKey).startsWith("ck_live_").hasSize("ck_live_".length() + 43).isNotEqualTo(tenant.apiKey());
        assertThat(rotated.get("new_key_prefix").asString()).isEqualTo(newKey.substring(0, "ck_live_".length() + 4));
        assertThat(Instant.parse(rotated.get("previous_key_valid_until").asString()))
                .isBetween(before.plus(GRACE).minusSeconds(2), Instant.now().plus(GRACE).plusSeconds(2));

        assertThat(searchWith(tenant.apiKey())).as("old key during the grace period").isEqualTo(200);
        assertThat(searchWith(newKey)).as("new key").isEqualTo(200);
        JsonNode shown = json(http.get().uri("/api/admin/tenants/{id}", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(shown.get("api_key_prefix").asString()).isEqualTo(rotated.get("new_key_prefix").asString());
        assertThat(shown.toString()).doesNotContain(newKey);

        // The old key was cached for the 30 s tenant cache TTL: refusal must come with the grace period's end.
        await().atMost(GRACE.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> searchWith(tenant.apiKey()) == 401);
        expectProblem(http.get().uri("/api/search/products")
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 401);
        assertThat(searchWith(newKey)).isEqualTo(200);
    }

    @Test
    void rotatesTheWidgetKeyTheSameWay() {
        CreatedTenant tenant = createTenant("rotate.example");
        assertThat(chatWith(tenant.widgetKey())).isEqualTo(200);

        JsonNode rotated = rotated(tenant.id(), "widget_key");
        String newKey = rotated.get("new_key").asString();

        assertThat(newKey).startsWith("cw_");
        assertThat(chatWith(tenant.widgetKey())).isEqualTo(200);
        assertThat(chatWith(newKey)).isEqualTo(200);
        assertThat(searchWith(tenant.apiKey())).as("the api_key is untouched").isEqualTo(200);
        // An unknown widget key is 404 (not 401): the public widget must not learn which keys exist.
        await().atMost(GRACE.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> chatWith(tenant.widgetKey()) == 404);
        assertThat(chatWith(newKey)).isEqualTo(200);
    }

    @Test
    void keepsEveryKeyRotatedOutWithinTheGracePeriod() {
        CreatedTenant tenant = createTenant("rotate.example");

        String second = rotated(tenant.id(), "api_key").get("new_key").asString();
        String third = rotated(tenant.id(), "api_key").get("new_key").asString();

        assertThat(searchWith(tenant.apiKey())).isEqualTo(200);
        assertThat(searchWith(second)).isEqualTo(200);
        assertThat(searchWith(third)).isEqualTo(200);
        await().atMost(GRACE.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> searchWith(tenant.apiKey()) == 401 && searchWith(second) == 401);
        assertThat(searchWith(third)).isEqualTo(200);
    }

    @Test
    void rejectsAnUnknownKeyNameOrTenant() {
        CreatedTenant tenant = createTenant("rotate.example");

        for (String body : new String[] {"{\"key\":\"admin_key\"}", "{\"key\":\"API_KEY\"}", "{}", "{\"key\":7}"}) {
            JsonNode problem = expectProblem(rotate(tenant.id(), body), 400);
            assertThat(problem.toString()).contains("key");
        }
        expectProblem(rotate("7f1d1f3e-0000-4000-8000-000000000000", "{\"key\":\"api_key\"}"), 404);
        expectProblem(rotate("not-a-uuid", "{\"key\":\"api_key\"}"), 404);
        expectProblem(http.post().uri("/api/admin/tenants/{id}/keys/rotate", tenant.id())
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"key\":\"api_key\"}")
                .exchange(), 401);
        assertThat(searchWith(tenant.apiKey())).as("nothing was rotated").isEqualTo(200);
    }
}
