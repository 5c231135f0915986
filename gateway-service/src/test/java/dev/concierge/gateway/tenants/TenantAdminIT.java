package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class TenantAdminIT extends GatewayIntegrationTest {

    @Test
    void createsTenantWithNormalisedDomainAndKeysShownOnce() {
        var result = http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"domain":"https://WWW.Shop.Example/about","name":"Shop",
                         "allowed_origins":["https://shop.example","HTTPS://WWW.SHOP.EXAMPLE:443/"]}""")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();
        JsonNode created = json(result.getResponseBody());

        String id = created.get("tenant_id").asString();
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/admin/tenants/" + id);
        assertThat(created.get("domain").asString()).isEqualTo("shop.example");
        assertThat(created.get("name").asString()).isEqualTo("Shop");
        assertThat(created.get("allowed_origins").valueStream().map(JsonNode::asString))
                .containsExactly("https://shop.example", "https://www.shop.example");
        assertThat(created.get("api_key").asString()).startsWith("ck_live_").hasSize("ck_live_".length() + 43);
        assertThat(created.get("widget_key").asString()).startsWith("cw_").hasSize("cw_".length() + 43);

        JsonNode fetched = json(http.get().uri("/api/admin/tenants/{id}", id)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(fetched.get("tenant_id").asString()).isEqualTo(id);
        assertThat(fetched.get("domain").asString()).isEqualTo("shop.example");
        assertThat(fetched.get("status").asString()).isEqualTo("active");
        assertThat(fetched.has("api_key")).isFalse();
        assertThat(fetched.has("widget_key")).isFalse();
        assertThat(fetched.get("api_key_prefix").asString())
                .isEqualTo(created.get("api_key").asString().substring(0, "ck_live_".length() + 4));

        JsonNode list = json(http.get().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(list.get("tenants").valueStream().map(t -> t.get("tenant_id").asString())).containsExactly(id);
        assertThat(list.toString()).doesNotContain(created.get("api_key").asString())
                .doesNotContain(created.get("widget_key").asString());
    }

    @Test
    void keysOfANewTenantAreAcceptedAtOnce() {
        CreatedTenant tenant = createTenant("keys.example");

        http.get().uri("/api/search/products?q=lamp")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .exchange()
                .expectStatus().isOk();
        http.post().uri("/api/chat/messages")
                .header("X-Widget-Key", tenant.widgetKey())
                .header("Origin", "https://keys.example")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}")
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void refusesASecondTenantForTheSameDomainInAnySpelling() {
        createTenant("shop.example");

        for (String spelling : List.of("shop.example", "https://www.shop.example", "SHOP.EXAMPLE/", "www.shop.example:443")) {
            JsonNode problem = json(http.post().uri("/api/admin/tenants")
                    .headers(h -> h.setBearerAuth(ADMIN_KEY))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("domain", spelling, "name", "Copy"))
                    .exchange()
                    .expectStatus().isEqualTo(409)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().returnResult().getResponseBody());
            assertThat(problem.get("status").asInt()).isEqualTo(409);
            assertThat(problem.get("detail").asString()).contains("shop.example");
        }
    }

    @Test
    void rejectsInvalidOrMissingDomainNamingTheField() {
        for (String body : List.of("{\"domain\":\"not a domain!\",\"name\":\"X\"}", "{\"name\":\"X\"}",
                "{\"domain\":\"\"}")) {
            JsonNode problem = json(http.post().uri("/api/admin/tenants")
                    .headers(h -> h.setBearerAuth(ADMIN_KEY))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().returnResult().getResponseBody());
            assertThat(problem.get("type").asString()).isEqualTo("about:blank");
            assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("detail").asString()).contains("domain");
            assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString())).containsExactly("domain");
        }
    }

    @Test
    void rejectsOriginsThatAreNotOriginsNamingTheirPosition() {
        JsonNode problem = json(http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"shop.example\",\"allowed_origins\":[\"https://shop.example\",\"https://shop.example/cart\"]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("allowed_origins[1]");
    }

    @Test
    void rejectsAMalformedBodyAsProblem() {
        JsonNode problem = json(http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\": \"shop.example\",")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.toString()).doesNotContain("tools.jackson").doesNotContain("Exception");
    }

    @Test
    void requiresTheAdminKey() {
        String body = "{\"domain\":\"shop.example\"}";
        // no key, a wrong key, a tenant's key, and a percent-encoded spelling of the path
        http.post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*");
        http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY + "x"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized();
        CreatedTenant tenant = createTenant("other.example");
        http.get().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .exchange()
                .expectStatus().isUnauthorized();
        http.get().uri(rawUri("/api/%61dmin/tenants"))
                .exchange()
                .expectStatus().isUnauthorized();

        JsonNode list = json(http.get().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(list.get("tenants")).hasSize(1);
    }

    @Test
    void answersUnknownTenantIdWith404Problem() {
        http.get().uri("/api/admin/tenants/{id}", "7f1d1f3e-0000-4000-8000-000000000000")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/admin/tenants/{id}", "not-a-uuid")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isNotFound();
    }
}
