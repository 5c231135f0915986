package dev.concierge.gateway.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class ChatCorsIT extends GatewayIntegrationTest {

    private static final String SHOP = "https://shop.example";
    private static final String WWW_SHOP = "https://www.shop.example";
    private static final String EVIL = "https://evil.example";

    private WebTestClient.ResponseSpec preflight(String uri, String origin, String method, String headers) {
        return http.options().uri(uri)
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
                .headers(h -> {
                    if (headers != null) {
                        h.set(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, headers);
                    }
                })
                .exchange();
    }

    private WebTestClient.ResponseSpec widgetPost(String uri, String widgetKey, String origin) {
        return http.post().uri(uri)
                .header("X-Widget-Key", widgetKey)
                .headers(h -> {
                    if (origin != null) {
                        h.setOrigin(origin);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"Do you ship to Norway?\"}")
                .exchange();
    }

    @Test
    void answersAPreflightFromAnAllowedOriginItself() {
        createTenant("shop.example");

        EntityExchangeResult<byte[]> result = preflight("/api/chat/messages?domain=shop.example", WWW_SHOP, "POST",
                "content-type, x-widget-key, x-request-id")
                .expectStatus().isNoContent()
                .expectBody().returnResult();

        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(WWW_SHOP);
        assertThat(headers.getVary()).contains("Origin");
        assertThat(headers.getAccessControlAllowMethods())
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS);
        assertThat(headers.getAccessControlAllowHeaders()).contains("Content-Type", "X-Widget-Key", "X-Request-Id");
        assertThat(headers.getAccessControlMaxAge()).isEqualTo(600);
        assertThat(headers.getAccessControlAllowCredentials()).isFalse();
        assertThat(headers.getFirst("X-Request-Id")).isNotBlank();
        assertThat(result.getResponseBody()).isNullOrEmpty();
    }

    @Test
    void refusesPreflightsThatAreNotForAnAllowedOriginOfTheNamedTenant() {
        CreatedTenant tenant = createTenant("shop.example");
        createTenant("other.example");
        String chat = "/api/chat/messages?domain=shop.example";

        for (WebTestClient.ResponseSpec refused : List.of(
                preflight(chat, EVIL, "POST", "content-type"),
                preflight(chat, "null", "POST", null),
                preflight("/api/chat/messages?domain=other.example", SHOP, "POST", null),
                preflight("/api/chat/messages?domain=nobody.example", SHOP, "POST", null),
                preflight("/api/chat/messages", SHOP, "POST", null),
                preflight("/api/chat/messages?domain=shop.example&domain=other.example", SHOP, "POST", null),
                preflight(chat, SHOP, "DELETE", null),
                preflight(chat, SHOP, "POST", "authorization"),
                preflight("/api/search/products?domain=shop.example", SHOP, "GET", null),
                preflight("/api/admin/tenants", SHOP, "GET", null))) {
            JsonNode problem = expectProblem(refused, 403);
            assertThat(problem.get("detail").asString()).startsWith("Cross-origin");
        }

        patchTenant(tenant.id(), "{\"status\":\"disabled\"}");
        expectProblem(preflight(chat, SHOP, "POST", null), 403);
    }

    @Test
    void letsTheWidgetReadChatResponsesFromAnAllowedOrigin() {
        CreatedTenant tenant = createTenant("shop.example");

        HttpHeaders headers = widgetPost("/api/chat/messages", tenant.widgetKey(), SHOP)
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders();

        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(SHOP);
        assertThat(headers.getVary()).contains("Origin");
        assertThat(headers.getAccessControlExposeHeaders()).contains("X-Request-Id", "Retry-After",
                "X-RateLimit-Remaining", "X-RateLimit-Limit", "X-RateLimit-Replenish-Rate",
                "X-RateLimit-Burst-Capacity", "X-RateLimit-Requested-Tokens");
    }

    @Test
    void putsCorsHeadersOnErrorsSoTheWidgetCanReadTheProblem() {
        createTenant("shop.example");

        var result = http.post().uri("/api/chat/messages?domain=shop.example")
                .header("X-Widget-Key", "cw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .header(HttpHeaders.ORIGIN, SHOP)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult();

        assertThat(result.getResponseHeaders().getAccessControlAllowOrigin()).isEqualTo(SHOP);
        assertThat(result.getResponseHeaders().getAccessControlExposeHeaders()).contains("X-Request-Id");
    }

    @Test
    void refusesTheWidgetKeyFromAnOriginTheTenantDoesNotAllowOrWithoutOrigin() {
        CreatedTenant tenant = createTenant("shop.example");

        var foreign = widgetPost("/api/chat/messages", tenant.widgetKey(), EVIL);
        HttpHeaders foreignHeaders = foreign.expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectBody().returnResult().getResponseHeaders();
        assertThat(foreignHeaders.getVary()).contains("Origin");
        expectProblem(widgetPost("/api/chat/messages", tenant.widgetKey(), EVIL), 403);
        expectProblem(widgetPost("/api/chat/messages", tenant.widgetKey(), "https://shop.example.evil.example"), 403);
        expectProblem(widgetPost("/api/chat/messages", tenant.widgetKey(), "http://shop.example"), 403);
        JsonNode noOrigin = expectProblem(widgetPost("/api/chat/messages", tenant.widgetKey(), null), 403);
        assertThat(noOrigin.get("detail").asString()).contains("Origin");
    }

    @Test
    void letsServersCallTheChatWithTheApiKeyAndNoOrigin() {
        CreatedTenant tenant = createTenant("shop.example");

        http.post().uri("/api/chat/messages")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        // an API key used from a browser page must come from an allowed origin too
        expectProblem(http.post().uri("/api/chat/messages")
                .headers(h -> {
                    h.setBearerAuth(tenant.apiKey());
                    h.setOrigin(EVIL);
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}")
                .exchange(), 403);
    }

    @Test
    void followsChangesToTheAllowedOriginsAtOnce() {
        CreatedTenant tenant = createTenant("shop.example");
        String shopAdmin = "http://localhost:3000";
        widgetPost("/api/chat/messages", tenant.widgetKey(), shopAdmin).expectStatus().isForbidden();

        patchTenant(tenant.id(), "{\"allowed_origins\":[\"http://localhost:3000\"]}");

        widgetPost("/api/chat/messages", tenant.widgetKey(), shopAdmin).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, shopAdmin);
        preflight("/api/chat/messages?domain=shop.example", shopAdmin, "POST", "content-type")
                .expectStatus().isNoContent();
        widgetPost("/api/chat/messages", tenant.widgetKey(), SHOP).expectStatus().isForbidden();
        expectProblem(preflight("/api/chat/messages?domain=shop.example", SHOP, "POST", null), 403);
    }

    @Test
    void neverPassesOnTheServicesOwnCorsHeaders() {
        CreatedTenant tenant = createTenant("shop.example");

        HttpHeaders headers = http.get().uri("/api/chat/cors-star")
                .header("X-Widget-Key", tenant.widgetKey())
                .header(HttpHeaders.ORIGIN, SHOP)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders();

        assertThat(headers.get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).containsExactly(SHOP);
        assertThat(headers.containsHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isFalse();

        HttpHeaders serverCall = http.get().uri("/api/chat/cors-star")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders();
        assertThat(serverCall.containsHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
    }

    @Test
    void isNotOverruledBySpringCloudGatewaysGlobalCors() {
        // The test context configures globalcors to allow only GLOBAL_CORS_ORIGIN for every path.
        CreatedTenant tenant = createTenant("shop.example",
                Map.of("allowed_origins", List.of(SHOP)));

        widgetPost("/api/chat/messages", tenant.widgetKey(), SHOP)
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, SHOP);
        expectProblem(widgetPost("/api/chat/messages", tenant.widgetKey(), GLOBAL_CORS_ORIGIN), 403);
        expectProblem(preflight("/api/chat/messages?domain=shop.example", GLOBAL_CORS_ORIGIN, "GET", null), 403);
    }
}
