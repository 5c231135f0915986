package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class TenantSettingsIT extends GatewayIntegrationTest {

    private JsonNode fetch(String id) {
        return json(http.get().uri("/api/admin/tenants/{id}", id)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private WebTestClient.ResponseSpec create(String body) {
        return http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec patch(String id, String body) {
        return http.patch().uri("/api/admin/tenants/{id}", id)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static List<String> fields(JsonNode problem) {
        return problem.get("errors").valueStream().map(error -> error.get("field").asString()).toList();
    }

    @Test
    void givesANewTenantItsOwnSiteTheDefaultPlanAndNoSupportEmail() {
        JsonNode created = json(create("{\"domain\":\"https://www.Shop.example/\"}")
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody());

        assertThat(strings(created.get("allowed_origins")))
                .containsExactly("https://shop.example", "https://www.shop.example");
        assertThat(created.get("rate_limit_plan").asString()).isEqualTo("standard");
        assertThat(created.get("support_email").isNull()).isTrue();

        JsonNode fetched = fetch(created.get("tenant_id").asString());
        assertThat(strings(fetched.get("allowed_origins")))
                .containsExactly("https://shop.example", "https://www.shop.example");
        assertThat(fetched.get("rate_limit_plan").asString()).isEqualTo("standard");
        assertThat(fetched.get("support_email").isNull()).isTrue();
    }

    @Test
    void createsATenantWithItsSettings() {
        JsonNode created = json(create("""
                {"domain":"shop.example","allowed_origins":["https://SHOP.example","http://localhost:3000/"],
                 "rate_limit_plan":"pro","support_email":"Help@Shop.Example"}""")
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody());

        JsonNode fetched = fetch(created.get("tenant_id").asString());
        assertThat(strings(fetched.get("allowed_origins"))).containsExactly("https://shop.example",
                "http://localhost:3000");
        assertThat(fetched.get("rate_limit_plan").asString()).isEqualTo("pro");
        assertThat(fetched.get("support_email").asString()).isEqualTo("Help@shop.example");

        JsonNode list = json(http.get().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(list.at("/tenants/0/rate_limit_plan").asString()).isEqualTo("pro");
    }

    @Test
    void rejectsInvalidSettingsNamingEachField() {
        JsonNode problem = expectProblem(create("""
                {"domain":"shop.example","allowed_origins":["https://*.shop.example","https://shop.example/chat",
                 "*","ftp://shop.example"],"rate_limit_plan":"platinum","support_email":"help at shop.example"}"""),
                400);

        assertThat(fields(problem)).containsExactly("allowed_origins[0]", "allowed_origins[1]", "allowed_origins[2]",
                "allowed_origins[3]", "rate_limit_plan", "support_email");
        assertThat(problem.get("errors").get(4).get("message").asString()).contains("free").contains("standard")
                .contains("pro");

        JsonNode wrongType = expectProblem(create("{\"domain\":\"shop.example\",\"allowed_origins\":\"https://x.example\"}"),
                400);
        assertThat(fields(wrongType)).containsExactly("allowed_origins");
    }

    @Test
    void changesSettingsWithPatchAndShowsThemOnGet() {
        CreatedTenant tenant = createTenant("shop.example");

        JsonNode changed = patchTenant(tenant.id(), """
                {"allowed_origins":["https://shop.example","https://checkout.shop.example:8443"],
                 "rate_limit_plan":"free","support_email":"care@shop.example","name":"Shop & Co"}""");

        assertThat(strings(changed.get("allowed_origins"))).containsExactly("https://shop.example",
                "https://checkout.shop.example:8443");
        assertThat(changed.get("rate_limit_plan").asString()).isEqualTo("free");
        assertThat(changed.get("support_email").asString()).isEqualTo("care@shop.example");
        assertThat(changed.get("name").asString()).isEqualTo("Shop & Co");
        assertThat(changed.get("status").asString()).isEqualTo("active");
        JsonNode fetched = fetch(tenant.id());
        assertThat(fetched).isEqualTo(changed);

        JsonNode cleared = patchTenant(tenant.id(), "{\"support_email\":null,\"allowed_origins\":[]}");
        assertThat(cleared.get("support_email").isNull()).isTrue();
        assertThat(cleared.get("allowed_origins")).isEmpty();
        assertThat(cleared.get("rate_limit_plan").asString()).as("untouched").isEqualTo("free");
        assertThat(cleared.get("name").asString()).as("untouched").isEqualTo("Shop & Co");
    }

    @Test
    void rejectsInvalidPatchesWithoutChangingAnything() {
        CreatedTenant tenant = createTenant("shop.example");
        JsonNode before = fetch(tenant.id());

        JsonNode problem = expectProblem(patch(tenant.id(), """
                {"rate_limit_plan":"gold","support_email":"x@","allowed_origins":["https://ok.example","https://*"],
                 "status":"paused","api_key":"ck_live_mine"}"""), 400);
        assertThat(fields(problem)).containsExactlyInAnyOrder("rate_limit_plan", "support_email",
                "allowed_origins[1]", "status", "api_key");
        expectProblem(patch(tenant.id(), "{\"rate_limit_plan\":5,\"name\":[\"x\"]}"), 400);
        expectProblem(patch(tenant.id(), "{}"), 400);
        expectProblem(patch(tenant.id(), "[]"), 400);
        expectProblem(patch(tenant.id(), "{\"name\":"), 400);
        expectProblem(patch("7f1d1f3e-0000-4000-8000-000000000000", "{\"name\":\"x\"}"), 404);

        assertThat(fetch(tenant.id())).isEqualTo(before);
    }

    @Test
    void refusesMoreThanTwentyOrigins() {
        CreatedTenant tenant = createTenant("shop.example", Map.of("support_email", "help@shop.example"));
        String many = String.join(",", java.util.stream.IntStream.range(0, 21)
                .mapToObj(i -> "\"https://s" + i + ".shop.example\"").toList());

        assertThat(fields(expectProblem(patch(tenant.id(), "{\"allowed_origins\":[" + many + "]}"), 400)))
                .containsExactly("allowed_origins");
    }
}
