package dev.concierge.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.DownstreamStub;
import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class TenantAuthIT extends GatewayIntegrationTest {

    private JsonNode echo(WebTestClient.ResponseSpec response) {
        return json(response.expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private JsonNode problem(WebTestClient.ResponseSpec response, int status) {
        JsonNode problem = json(response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("type")).isTrue();
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("detail")).isTrue();
        return problem;
    }

    @Test
    void forwardsTenantKeyCallsWithEdgeHeadersAndDropsSpoofedOnes() {
        CreatedTenant tenant = createTenant("shop.example");
        CreatedTenant other = createTenant("other.example");

        JsonNode received = echo(http.get().uri("/api/search/products?q=lamp")
                .headers(h -> {
                    h.setBearerAuth(tenant.apiKey());
                    h.set("X-Tenant-Id", other.id());
                    h.set("X-Tenant-Domain", "other.example");
                    h.set("X-Concierge-Role", "admin");
                })
                .exchange());

        assertThat(received.get("service").asString()).isEqualTo("search-service");
        assertThat(received.get("uri").asString()).isEqualTo("/api/search/products?q=lamp");
        assertThat(receivedHeader(received, "X-Tenant-Id")).containsExactly(tenant.id());
        assertThat(receivedHeader(received, "X-Tenant-Domain")).containsExactly("shop.example");
        assertThat(receivedHeader(received, "X-Concierge-Role")).containsExactly("tenant");
        assertThat(receivedHeader(received, HttpHeaders.AUTHORIZATION)).isEmpty();
    }

    @Test
    void routesEachPrefixToItsService() {
        CreatedTenant tenant = createTenant("shop.example");
        Map<String, String> routes = Map.of(
                "/api/chat/messages", "chat-service",
                "/api/conversations/123", "chat-service",
                "/api/search/products", "search-service",
                "/api/scrape", "scraper-service",
                "/api/scrape/jobs/1", "scraper-service",
                "/api/commerce/orders/7", "commerce-service");
        routes.forEach((path, service) -> assertThat(echo(http.get().uri(path)
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()).get("service").asString())
                .as(path).isEqualTo(service));
    }

    @Test
    void refusesATenantKeyNamingAnotherTenantsDomain() {
        CreatedTenant a = createTenant("a-shop.example");
        createTenant("b-shop.example");

        problem(http.get().uri("/api/search/products?domain=b-shop.example")
                .headers(h -> h.setBearerAuth(a.apiKey())).exchange(), 403);
        problem(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(a.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"https://www.b-shop.example/\",\"start_url\":\"https://b-shop.example\"}")
                .exchange(), 403);
        // its own domain, in any spelling, is fine
        JsonNode received = echo(http.get().uri("/api/search/products?domain=https://WWW.a-shop.example")
                .headers(h -> h.setBearerAuth(a.apiKey())).exchange());
        assertThat(receivedHeader(received, "X-Tenant-Id")).containsExactly(a.id());
    }

    @Test
    void forwardsAJsonBodyByteForByte() {
        CreatedTenant tenant = createTenant("shop.example");
        byte[] body = ("{ \"domain\" : \"https://www.Shop.example\",\n\t\"start_url\":\"https://shop.example/ü?x=1\","
                + " \"max_pages\": 1.50e1 , \"tags\":[] }").getBytes(StandardCharsets.UTF_8);

        JsonNode received = echo(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange());

        assertThat(receivedBody(received)).isEqualTo(body);
        assertThat(receivedHeader(received, "X-Tenant-Domain")).containsExactly("shop.example");
        assertThat(receivedHeader(received, HttpHeaders.CONTENT_LENGTH)).containsExactly(String.valueOf(body.length));
    }

    @Test
    void forwardsJsonBodiesUpToTheSizeLimitIntact() {
        // Bodies larger than GATEWAY_MAX_JSON_BODY (64 KiB) and non-JSON bodies are refused: RequestHygieneIT.
        CreatedTenant tenant = createTenant("shop.example");
        String filler = "x".repeat(60_000);
        byte[] json = ("{\"domain\":\"shop.example\",\"text\":\"" + filler + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(receivedBody(echo(http.put().uri("/api/commerce/catalogue")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()))).isEqualTo(json);
    }

    @Test
    void passesTheStoresSignedWebhooksWithoutAKeyAndWithoutAnyIdentity() {
        CreatedTenant tenant = createTenant("shop.example");
        byte[] product = "{\"id\":799,\"name\":\"Trail pump\",\"stock_quantity\":3}".getBytes(StandardCharsets.UTF_8);

        JsonNode received = echo(http.post().uri("/api/commerce/webhooks/woocommerce/" + tenant.id())
                .header("X-WC-Webhook-Signature", "c2lnbmF0dXJl")
                .header("X-Tenant-Id", "spoofed")
                .header("X-Concierge-Role", "admin")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(product)
                .exchange());
        assertThat(received.get("service").asString()).isEqualTo("commerce-service");
        assertThat(receivedBody(received)).isEqualTo(product);
        assertThat(receivedHeader(received, "X-WC-Webhook-Signature")).containsExactly("c2lnbmF0dXJl");
        assertThat(receivedHeader(received, "X-Tenant-Id")).isEmpty();
        assertThat(receivedHeader(received, "X-Concierge-Role")).isEmpty();

        // WooCommerce's ping when the webhook is created is a form
        JsonNode ping = echo(http.post().uri("/api/commerce/webhooks/woocommerce/" + tenant.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("webhook_id=12")
                .exchange());
        assertThat(new String(receivedBody(ping), StandardCharsets.UTF_8)).isEqualTo("webhook_id=12");

        // everything else of commerce still needs the tenant's key
        problem(http.post().uri("/api/commerce/webhooks/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange(), 401);
        problem(http.get().uri("/api/commerce/webhooks/woocommerce/" + tenant.id()).exchange(), 401);
    }

    @Test
    void acceptsTheWidgetKeyOnChatOnly() {
        CreatedTenant tenant = createTenant("shop.example");

        JsonNode received = echo(http.post().uri("/api/chat/messages")
                .header("X-Widget-Key", tenant.widgetKey())
                .header("Origin", "https://www.shop.example")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"www.shop.example\",\"message\":\"Do you ship to Norway?\"}")
                .exchange());
        assertThat(receivedHeader(received, "X-Tenant-Id")).containsExactly(tenant.id());
        assertThat(receivedHeader(received, "X-Tenant-Domain")).containsExactly("shop.example");
        assertThat(receivedHeader(received, "X-Concierge-Role")).containsExactly("widget");
        assertThat(receivedHeader(received, "X-Widget-Key")).isEmpty();

        problem(http.get().uri("/api/search/products").header("X-Widget-Key", tenant.widgetKey()).exchange(), 401);
        problem(http.get().uri("/api/conversations/1").header("X-Widget-Key", tenant.widgetKey()).exchange(), 401);
    }

    @Test
    void answersWidgetKeyForAnotherDomainOrUnknownKeyWith404() {
        CreatedTenant tenant = createTenant("shop.example");
        createTenant("other.example");

        JsonNode wrongDomain = problem(http.post().uri("/api/chat/messages")
                .header("X-Widget-Key", tenant.widgetKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"other.example\",\"message\":\"hi\"}")
                .exchange(), 404);
        JsonNode unknownDomain = problem(http.get().uri("/api/chat/history?domain=nobody.example")
                .header("X-Widget-Key", tenant.widgetKey())
                .exchange(), 404);
        JsonNode unknownKey = problem(http.get().uri("/api/chat/history")
                .header("X-Widget-Key", "cw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .exchange(), 404);
        // the same answer whether or not the domain is a tenant
        assertThat(wrongDomain.get("detail")).isEqualTo(unknownDomain.get("detail")).isEqualTo(unknownKey.get("detail"));
        assertThat(wrongDomain.get("detail").asString()).isEqualTo("Unknown domain or widget key");
    }

    @Test
    void refusesMissingOrInvalidCredentialsWith401() {
        createTenant("shop.example");
        for (WebTestClient.RequestHeadersSpec<?> request : java.util.List.of(
                http.get().uri("/api/search/products"),
                http.get().uri("/api/chat/history"),
                http.get().uri("/api/search/products").header(HttpHeaders.AUTHORIZATION, "Bearer ck_live_nope"),
                http.get().uri("/api/search/products").header(HttpHeaders.AUTHORIZATION, "Bearer nope"),
                http.get().uri("/api/search/products").header(HttpHeaders.AUTHORIZATION, "Basic YWRtaW46YWRtaW4="))) {
            request.exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*");
        }
    }

    @Test
    void letsTheAdminKeyActForTheNamedTenantOrForNone() {
        CreatedTenant tenant = createTenant("shop.example");

        JsonNode forTenant = echo(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"https://www.shop.example\"}")
                .exchange());
        assertThat(receivedHeader(forTenant, "X-Tenant-Id")).containsExactly(tenant.id());
        assertThat(receivedHeader(forTenant, "X-Tenant-Domain")).containsExactly("shop.example");
        assertThat(receivedHeader(forTenant, "X-Concierge-Role")).containsExactly("admin");

        JsonNode forNone = echo(http.get().uri("/api/scrape/jobs")
                .headers(h -> {
                    h.setBearerAuth(ADMIN_KEY);
                    h.set("X-Tenant-Id", tenant.id());
                })
                .exchange());
        assertThat(receivedHeader(forNone, "X-Concierge-Role")).containsExactly("admin");
        assertThat(receivedHeader(forNone, "X-Tenant-Id")).isEmpty();
        assertThat(receivedHeader(forNone, "X-Tenant-Domain")).isEmpty();

        problem(http.get().uri("/api/search/products?domain=unknown.example")
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(), 404);
    }

    @Test
    void rejectsMalformedJsonAndBadDomainsWith400Problem() {
        CreatedTenant tenant = createTenant("shop.example");

        JsonNode malformed = problem(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\": \"shop.example\"")
                .exchange(), 400);
        assertThat(malformed.get("detail").asString()).contains("not valid JSON");

        JsonNode duplicated = problem(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"shop.example\",\"domain\":\"other.example\"}")
                .exchange(), 400);
        assertThat(duplicated.get("detail").asString()).contains("not valid JSON");

        JsonNode invalid = problem(http.get().uri("/api/search/products?domain=not a domain")
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 400);
        assertThat(invalid.get("errors").get(0).get("field").asString()).isEqualTo("domain");
    }

    @Test
    void refusesKeysOfADisabledTenantWith403() {
        CreatedTenant tenant = createTenant("shop.example");
        echo(http.get().uri("/api/search/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange());

        http.patch().uri("/api/admin/tenants/{id}", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"disabled\"}")
                .exchange()
                .expectStatus().isOk();

        problem(http.get().uri("/api/search/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 403);
        problem(http.get().uri("/api/chat/history").header("X-Widget-Key", tenant.widgetKey()).exchange(), 403);
    }

    @Test
    void passesServiceErrorsThroughUntouched() {
        CreatedTenant tenant = createTenant("shop.example");

        String body = new String(http.post().uri("/api/commerce/orders/problem")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(DownstreamStub.PROBLEM_BODY);
    }

    @Test
    void answersUnreachableServiceWith503AndSlowServiceWith504() {
        CreatedTenant tenant = createTenant("shop.example");
        COMMERCE.stop();
        try {
            JsonNode unreachable = problem(http.get().uri("/api/commerce/orders")
                    .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 503);
            assertThat(unreachable.toString()).doesNotContain("Exception").doesNotContain("127.0.0.1");
        } finally {
            COMMERCE.restart();
        }
        problem(http.get().uri("/api/search/slow").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 504);
    }

    @Test
    void answersUnknownRoutesWith404Problem() {
        problem(http.get().uri("/api/nothing-here").exchange(), 404);
        problem(http.get().uri("/nothing").exchange(), 404);
    }

    @Test
    void propagatesOrCreatesTheRequestId() {
        CreatedTenant tenant = createTenant("shop.example");

        var given = http.get().uri("/api/search/products")
                .headers(h -> {
                    h.setBearerAuth(tenant.apiKey());
                    h.set("X-Request-Id", "req-42");
                })
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", "req-42")
                .expectBody().returnResult();
        assertThat(receivedHeader(json(given.getResponseBody()), "X-Request-Id")).containsExactly("req-42");

        var created = http.get().uri("/api/search/products")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().returnResult();
        String id = created.getResponseHeaders().getFirst("X-Request-Id");
        assertThat(id).isNotBlank();
        assertThat(json(created.getResponseBody()).get("request_id").asString()).isEqualTo(id);
    }
}
