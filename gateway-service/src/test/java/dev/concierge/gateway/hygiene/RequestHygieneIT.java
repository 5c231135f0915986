package dev.concierge.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Body size and media type limits, security headers, and errors that give nothing away. */
class RequestHygieneIT extends GatewayIntegrationTest {

    private static final int LIMIT = 64 * 1024;

    private static String jsonOfSize(int bytes) {
        String head = "{\"domain\":\"shop.example\",\"text\":\"";
        return head + "x".repeat(bytes - head.length() - 2) + "\"}";
    }

    @Test
    void refusesBodiesOverTheLimitWith413OnRoutesAndTheAdminApi() {
        CreatedTenant tenant = createTenant("shop.example");
        String tooLarge = jsonOfSize(LIMIT + 1);

        JsonNode routed = expectProblem(http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(tooLarge).exchange(), 413);
        assertThat(routed.get("detail").asString()).isEqualTo("Request bodies are limited to 65536 bytes");
        expectProblem(http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(tooLarge).exchange(), 413);
        assertThat(SCRAPER.requests()).isZero();

        // exactly at the limit is fine
        http.post().uri("/api/scrape").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(jsonOfSize(LIMIT)).exchange()
                .expectStatus().isOk();
    }

    @Test
    void refusesAStreamedBodyOnceItPassesTheLimit() {
        CreatedTenant tenant = createTenant("shop.example");
        byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> chunked = Flux.concat(
                Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("{\"text\":\"".getBytes(StandardCharsets.UTF_8))),
                Flux.range(0, 8).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk)),
                Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("\"}".getBytes(StandardCharsets.UTF_8))));

        expectProblem(http.post().uri("/api/chat")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunked, DataBuffer.class)
                .exchange(), 413);
        assertThat(CHAT.requests()).isZero();
    }

    @Test
    void refusesBodiesThatAreNotJsonWith415() throws Exception {
        CreatedTenant tenant = createTenant("shop.example");

        var textPost = http.post().uri("/api/scrape").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.TEXT_PLAIN).bodyValue("domain=shop.example").exchange()
                .expectHeader().valueEquals("Accept-Post", "application/json");
        assertThat(expectProblem(textPost, 415).get("detail").asString())
                .isEqualTo("This endpoint takes application/json request bodies");
        var formPatch = http.patch().uri("/api/admin/tenants/{id}", tenant.id()).headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("status=disabled").exchange()
                .expectHeader().valueEquals("Accept-Patch", "application/json");
        expectProblem(formPatch, 415);
        expectProblem(http.post().uri("/api/chat").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .header(HttpHeaders.CONTENT_TYPE, "application/xml")
                .bodyValue("<message>hi</message>").exchange(), 415);
        // a Content-Type no client library would send
        java.net.http.HttpResponse<String> invalid = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(rawUri("/api/chat"))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenant.apiKey())
                        .header(HttpHeaders.CONTENT_TYPE, "not a media type")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(415);
        assertThat(invalid.headers().firstValue(HttpHeaders.CONTENT_TYPE)).hasValue("application/problem+json");
        assertThat(SCRAPER.requests() + CHAT.requests()).isZero();

        // JSON variants and requests without a body pass
        http.post().uri("/api/chat").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .header(HttpHeaders.CONTENT_TYPE, "application/merge-patch+json; charset=utf-8")
                .bodyValue("{\"message\":\"hi\"}").exchange().expectStatus().isOk();
        http.delete().uri("/api/scrape/7").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                .expectStatus().isOk();
    }

    @Test
    void setsSecurityHeadersOnEveryResponse() {
        CreatedTenant tenant = createTenant("shop.example");
        List<WebTestClient.ResponseSpec> responses = List.of(
                http.get().uri("/api/search/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(),
                http.get().uri("/api/search/cacheable").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(),
                http.get().uri("/api/search/products").exchange(),
                http.get().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(),
                http.get().uri("/api/nothing-here").exchange(),
                http.get().uri("/api/health/live").exchange());
        for (WebTestClient.ResponseSpec response : responses) {
            response.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                    .expectHeader().doesNotExist("Strict-Transport-Security");
        }
        http.get().uri("/actuator/health/liveness").exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void sendsHstsWhenATrustedProxySaysTheRequestCameOverHttps() {
        // the loopback is a trusted proxy in these tests
        http.get().uri("/api/health/live").header("X-Forwarded-Proto", "https").exchange()
                .expectHeader().valueEquals("Strict-Transport-Security", SecurityHeadersFilter.HSTS);
        http.get().uri("/api/health/live").header("X-Forwarded-Proto", "http").exchange()
                .expectHeader().doesNotExist("Strict-Transport-Security");
    }

    @Test
    void errorsNeverCarryStackTracesOrInternalAddresses() {
        CreatedTenant tenant = createTenant("shop.example");
        SCRAPER.stop();
        List<WebTestClient.ResponseSpec> failures = List.of(
                http.get().uri("/api/scrape").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(),
                http.get().uri("/api/search/slow").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(),
                http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"domain\": [1, 2]}").exchange(),
                http.post().uri("/api/admin/tenants").headers(h -> h.setBearerAuth(ADMIN_KEY))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"domain\": ").exchange());
        for (WebTestClient.ResponseSpec failure : failures) {
            String body = new String(failure.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
            assertThat(body).doesNotContain("127.0.0.1", "localhost", "Exception", "\tat ", "tools.jackson",
                    "java.", "reactor.", SCRAPER.url().substring(SCRAPER.url().lastIndexOf(':') + 1));
        }
    }
}
