package dev.concierge.commerce.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concierge.commerce.support.FakeWooCommerce;
import dev.concierge.commerce.support.TestProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The client against a fake store speaking WooCommerce's wire format (OAuth 1.0a over http, checked by the fake). */
class WooCommerceClientTest {

    private final FakeWooCommerce fake = new FakeWooCommerce();
    private final WooCommerceClient client = new WooCommerceClient(WebClient.builder(), JsonMapper.builder().build(),
            TestProperties.fast());
    private final StoreCredentials store = new StoreCredentials("t1", fake.url() + "/", fake.consumerKey, fake.consumerSecret);

    @AfterEach
    void close() {
        fake.close();
    }

    @Test
    void followsPaginationAcrossPagesOfAHundred() {
        for (long id = 1; id <= 250; id++) {
            fake.put(fake.product(id, "P" + id, "SKU-" + id, "1.00", 1, "instock", "2026-11-01T10:00:00"));
        }
        List<JsonNode> all = client.getAll(store, "/products", List.of(Map.entry("orderby", "id"))).collectList().block();

        assertThat(all).hasSize(250);
        assertThat(all.get(249).get("id").asLong()).isEqualTo(250);
        List<FakeWooCommerce.Request> pages = fake.requests("GET", "/products");
        assertThat(pages).extracting(r -> r.query().get("page")).containsExactly("1", "2", "3");
        assertThat(pages).allSatisfy(r -> {
            assertThat(r.query()).containsEntry("per_page", "100").containsKey("oauth_signature");
            assertThat(r.authorization()).isNull(); // keys never travel in clear over http
        });
    }

    @Test
    void retriesServerErrorsThenSucceeds() {
        fake.put(fake.product(1, "Bell", "B", "5.00", 3, "instock", "2026-11-01T10:00:00"));
        fake.failNext("GET", "/products/1", 2, 500, Map.of());

        JsonNode p = client.getJson(store, "/products/1", List.of()).block();

        assertThat(p.get("name").asString()).isEqualTo("Bell");
        assertThat(fake.requests("GET", "/products/1")).hasSize(3);
    }

    @Test
    void honoursRetryAfterOn429() {
        fake.put(fake.product(1, "Bell", "B", "5.00", 3, "instock", "2026-11-01T10:00:00"));
        fake.failNext("GET", "/products/1", 1, 429, Map.of("Retry-After", "1"));

        long start = System.nanoTime();
        JsonNode p = client.getJson(store, "/products/1", List.of()).block();

        assertThat(p.get("id").asLong()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(fake.requests("GET", "/products/1")).hasSize(2);
    }

    @Test
    void wrongKeysAre401AndNotRetried() {
        StoreCredentials wrong = new StoreCredentials("t1", fake.url(), fake.consumerKey, "cs_wrongwrongwrong");

        assertThatThrownBy(() -> client.getJson(wrong, "/products", List.of()).block())
                .isInstanceOfSatisfying(WooCommerceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(WooCommerceException.Kind.UNAUTHORIZED);
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain("cs_wrong");
                });
        assertThat(fake.requests("GET", "/products")).hasSize(1);
    }

    @Test
    void theBreakerOpensForAFailingStoreAndStopsCallingIt() {
        fake.failNext("GET", "/products/1", 1000, 503, Map.of());
        for (int i = 0; i < 2; i++) { // 2 calls × 3 attempts: 6 failures, over the minimum of 5
            assertThatThrownBy(() -> client.getJson(store, "/products/1", List.of()).block())
                    .isInstanceOf(WooCommerceException.class);
        }
        assertThat(client.breakerState(store)).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = fake.requests("GET", "/products/1").size();

        assertThatThrownBy(() -> client.getJson(store, "/products/1", List.of()).block())
                .isInstanceOfSatisfying(WooCommerceException.class,
                        e -> assertThat(e.kind()).isEqualTo(WooCommerceException.Kind.CIRCUIT_OPEN));
        assertThat(fake.requests("GET", "/products/1")).hasSize(calls);
        // another store of another tenant is unaffected
        assertThat(client.breakerState(new StoreCredentials("t2", fake.url(), "ck_x", "cs_x"))).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void namesTransportFailures() throws Exception {
        fake.mode = FakeWooCommerce.Mode.REDIRECT_TO_HTTPS;
        assertThat(kindOf(store)).isEqualTo(WooCommerceException.Kind.HTTPS_REQUIRED);

        fake.mode = FakeWooCommerce.Mode.WOOCOMMERCE;
        try (ServerSocket plainHttp = new ServerSocket(0)) { // answers TLS with plain HTTP, as nginx does on port 80
            Thread server = new Thread(() -> {
                try (var socket = plainHttp.accept()) {
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (java.io.IOException ignored) {
                    // the client hung up
                }
            });
            server.setDaemon(true);
            server.start();
            StoreCredentials httpsToPlainPort = new StoreCredentials("t1", "https://127.0.0.1:" + plainHttp.getLocalPort(),
                    fake.consumerKey, fake.consumerSecret);
            assertThat(kindOf(httpsToPlainPort)).isEqualTo(WooCommerceException.Kind.TLS_ERROR);
        }

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(kindOf(new StoreCredentials("t1", "http://127.0.0.1:" + closedPort, "ck_x", "cs_x")))
                .isEqualTo(WooCommerceException.Kind.UNREACHABLE);

        fake.mode = FakeWooCommerce.Mode.NOT_WOOCOMMERCE;
        assertThat(kindOf(store)).isEqualTo(WooCommerceException.Kind.NOT_FOUND);

        fake.mode = FakeWooCommerce.Mode.SLOW; // slower than the 2 s request timeout
        fake.slowBy = Duration.ofSeconds(4);
        assertThat(kindOf(store)).isEqualTo(WooCommerceException.Kind.TIMEOUT);
    }

    @Test
    void neverSendsARequestToAStoreThatResolvesToAPrivateAddress() {
        // the fake store listens on 127.0.0.1: what a store name re-pointed inside our network looks like
        var p = TestProperties.fast();
        var guarded = new WooCommerceClient(WebClient.builder(), JsonMapper.builder().build(), new dev.concierge.commerce.config.CommerceProperties(
                p.encryptionKey(), p.requireEncryptionKey(), p.syncInterval(), p.fullSyncInterval(), p.liveTtl(), p.publicUrl(),
                p.connectTimeout(), p.requestTimeout(), p.liveTimeout(), 0, p.retryBackoff(), p.maxRetryAfter(),
                p.lookupSessionLimit(), p.lookupTenantLimit(), p.lookupWindow(), false, p.syncLease()));
        WooCommerceException.Kind kind;
        try {
            guarded.probe(store, "/products", List.of(Map.entry("per_page", "1"))).block();
            kind = null;
        } catch (WooCommerceException e) {
            kind = e.kind();
        }

        assertThat(kind).isEqualTo(WooCommerceException.Kind.UNREACHABLE);
        assertThat(fake.requests).isEmpty();
        // the same store with private hosts allowed (tests, the local demo store) is reached
        assertThat(kindOf(store)).isNull();
        assertThat(fake.requests).isNotEmpty();
    }

    private WooCommerceException.Kind kindOf(StoreCredentials s) {
        try {
            client.probe(s, "/products", List.of(Map.entry("per_page", "1"))).block();
            return null;
        } catch (WooCommerceException e) {
            return e.kind();
        }
    }
}
