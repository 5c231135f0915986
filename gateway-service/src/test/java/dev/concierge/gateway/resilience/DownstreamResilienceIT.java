package dev.concierge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Timeouts, retries, circuit breakers and streaming towards the services behind the gateway. Breakers here open
 * once 5 of the last 10 calls were made and half of them failed, for 2 s.
 */
class DownstreamResilienceIT extends GatewayIntegrationTest {

    @LocalServerPort
    int gatewayPort;

    @Autowired
    DownstreamBreakers breakers;

    @Test
    void answersAServiceThatIsDownWith503ProblemNamingOnlyTheService() {
        CreatedTenant tenant = createTenant("shop.example");
        COMMERCE.stop();

        for (var request : List.of(
                http.get().uri("/api/commerce/products?q=lamp"),
                http.post().uri("/api/commerce/orders/lookup").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"order\":\"1001\"}"))) {
            JsonNode problem = expectProblem(request.headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 503);
            assertThat(problem.get("detail").asString()).isEqualTo("commerce-service is unavailable, try again shortly");
            assertThat(problem.toString()).doesNotContain("127.0.0.1", "localhost", COMMERCE.url().split(":")[2],
                    "Connection refused", "Exception");
        }
    }

    @Test
    void opensTheBreakerAfterRepeatedFailuresAndClosesItWhenTheServiceIsBack() {
        CreatedTenant tenant = createTenant("shop.example");
        SEARCH.stop();
        for (int i = 0; i < 5; i++) { // POST: one call each, never retried
            expectProblem(http.post().uri("/api/search/feedback")
                    .headers(h -> h.setBearerAuth(tenant.apiKey()))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"helpful\":true}")
                    .exchange(), 503);
        }
        SEARCH.restart();

        // open: the service is up again, but nothing reaches it until the breaker lets a trial call through
        var open = http.get().uri("/api/search/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2");
        JsonNode problem = expectProblem(open, 503);
        assertThat(problem.get("detail").asString()).isEqualTo("search-service is unavailable, try again shortly");
        assertThat(SEARCH.requests()).isZero();
        assertThat(metrics()).containsPattern(
                "resilience4j_circuitbreaker_state\\{[^}]*name=\"search-service\"[^}]*state=\"open\"[^}]*} 1\\.0");
        // other services are not affected
        http.get().uri("/api/commerce/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                .expectStatus().isOk();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                http.get().uri("/api/search/products").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                        .expectStatus().isOk());
        assertThat(SEARCH.requests()).isPositive();
    }

    @Test
    void countsTheServicesOwn503AnswersAsFailures() {
        CreatedTenant tenant = createTenant("shop.example");
        for (int i = 0; i < 5; i++) {
            String body = new String(http.get().uri("/api/search/unavailable")
                    .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().returnResult().getResponseBody());
            assertThat(body).doesNotContain("try again shortly"); // the service's own answer, passed through
        }

        JsonNode problem = expectProblem(http.get().uri("/api/search/products")
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 503);
        assertThat(problem.get("detail").asString()).isEqualTo("search-service is unavailable, try again shortly");
        assertThat(SEARCH.requests()).isEqualTo(5);
    }

    @Test
    void retriesGetAfterAFailedConnectionButNeverPost() {
        CreatedTenant tenant = createTenant("shop.example");

        SEARCH.failNext(2);
        http.get().uri("/api/search/flaky").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange()
                .expectStatus().isOk();
        assertThat(SEARCH.requests()).isEqualTo(3);

        SEARCH.failNext(1);
        JsonNode problem = expectProblem(http.post().uri("/api/search/flaky")
                .headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"q\":\"lamp\"}")
                .exchange(), 502);
        assertThat(problem.get("detail").asString()).isEqualTo("search-service closed the connection before responding");
        assertThat(SEARCH.requests()).isEqualTo(4);

        breakers.resetAll(); // four failed calls so far: one more would open the breaker
        SEARCH.failNext(5); // more failures than retries: the last one is answered
        expectProblem(http.get().uri("/api/search/flaky").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(),
                502);
        assertThat(SEARCH.requests()).isEqualTo(7);
    }

    @Test
    void answersASlowServiceWith504AfterItsRoutesTimeout() {
        CreatedTenant tenant = createTenant("shop.example");

        JsonNode problem = expectProblem(http.get().uri("/api/conversations/slow")
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 504);

        assertThat(problem.get("detail").asString()).isEqualTo("chat-service did not respond in time");
    }

    @Test
    void passesServerSentEventsThroughAsTheyCome() {
        CreatedTenant tenant = createTenant("shop.example");
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();

        WebClient.create("http://127.0.0.1:" + gatewayPort).get().uri("/api/chat/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenant.apiKey())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .doOnNext(event -> {
                    received.add(event);
                    if ("first".equals(event.event())) {
                        CHAT.releaseLastEvent(); // the service sends its last event only after this
                    }
                })
                .blockLast(Duration.ofSeconds(20));

        assertThat(received).extracting(ServerSentEvent::event).containsExactly("first", "last");
        // released = the first event reached the client while the service still held the stream open
        assertThat(received.get(1).data()).isEqualTo("released=true");
    }

    private String metrics() {
        return http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
