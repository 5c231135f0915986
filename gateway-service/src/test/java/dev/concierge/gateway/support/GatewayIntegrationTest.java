package dev.concierge.gateway.support;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.resilience.DownstreamBreakers;
import dev.concierge.gateway.tenants.internal.TenantCache;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: the whole gateway on a random port, against the real PostgreSQL database
 * {@code concierge_gateway_test} (emptied before each test), the real Redis ({@code REDIS_URL}, default
 * 127.0.0.1:6379; rate-limit buckets are keyed by tenant id, so tests never share one) and real HTTP servers
 * standing in for the services. All subclasses that add no properties of their own share one application context.
 * <p>
 * Test settings: a rate-limit plan {@code tiny} (tenant 2 requests/s, burst 3; client address 1/s, burst 2),
 * the loopback trusted as a proxy (so tests pick client addresses with {@code X-Forwarded-For}), a 3 s key
 * rotation grace, and a Spring Cloud Gateway global CORS configuration that must not interfere with the
 * gateway's own per-tenant CORS. Domain verification is required (the production default): {@link #createTenant}
 * registers verified tenants, {@link #createUnverifiedTenant} unverified ones; verification fetches over http from
 * {@link #SITE} (the domain {@code localhost}, loopback allowed) and asks {@link #DNS} for TXT records.
 * {@code tenant.tenant-updated.v1} goes to an embedded KRaft Kafka broker. Circuit breakers open after 5 calls,
 * half of them failed, for 2 s; they are closed again before each test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 1)
// Failed authentications are not limited in practice (many tests send wrong keys from 127.0.0.1); a test of the
// limit sets its own with @DynamicPropertySource, which takes precedence.
@TestPropertySource(properties = "concierge.auth-failures.limit=1000000")
public abstract class GatewayIntegrationTest {

    protected static final String ADMIN_KEY = "it-admin-key-0123456789abcdef0123456789abcdef";

    protected static final DownstreamStub CHAT = DownstreamStub.start("chat-service");
    protected static final DownstreamStub SEARCH = DownstreamStub.start("search-service");
    protected static final DownstreamStub SCRAPER = DownstreamStub.start("scraper-service");
    protected static final DownstreamStub COMMERCE = DownstreamStub.start("commerce-service");
    protected static final DownstreamStub EMBEDDING_WORKER = DownstreamStub.start("embedding-worker");

    /** The tenant's web site for domain verification (serves {@code localhost} on its port). */
    protected static final TestSite SITE = TestSite.start();
    /** The DNS server asked for {@code _concierge-verify.<domain>} TXT records. */
    protected static final TestDnsServer DNS = TestDnsServer.start();

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        String host = env("PG_HOST", "127.0.0.1");
        String port = env("PG_PORT", "5432");
        String database = "concierge_gateway_test";
        registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://" + host + ":" + port + "/" + database);
        registry.add("spring.flyway.url", () -> "jdbc:postgresql://" + host + ":" + port + "/" + database);
        registry.add("concierge.admin-key", () -> ADMIN_KEY);
        registry.add("concierge.services.chat", CHAT::url);
        registry.add("concierge.services.search", SEARCH::url);
        registry.add("concierge.services.scraper", SCRAPER::url);
        registry.add("concierge.services.commerce", COMMERCE::url);
        registry.add("concierge.services.embedding-worker", EMBEDDING_WORKER::url);
        // Short enough for a test to see a 504: per route (route metadata), the global default stays 30 s.
        for (String route : List.of("SEARCH", "SCRAPER", "COMMERCE", "CONVERSATIONS")) {
            registry.add(route + "_RESPONSE_TIMEOUT_MS", () -> "2000");
        }
        registry.add("CHAT_RESPONSE_TIMEOUT_MS", () -> "5000");
        registry.add("concierge.verification.scheme", () -> "http");
        registry.add("concierge.verification.port", SITE::port);
        registry.add("concierge.verification.allow-private-hosts", () -> "true");
        registry.add("concierge.verification.dns-server", DNS::address);
        registry.add("concierge.verification.timeout", () -> "5s");
        registry.add("concierge.verification.dns-timeout", () -> "2s");
        registry.add("concierge.resilience.retry-backoff", () -> "50ms");
        registry.add("concierge.resilience.breaker.window", () -> "10");
        registry.add("concierge.resilience.breaker.minimum-calls", () -> "5");
        registry.add("concierge.resilience.breaker.open-for", () -> "2s");
        registry.add("concierge.tenant-events.publish-interval", () -> "200ms");
        registry.add("concierge.rate-limit.plans.tiny.tenant.replenish-rate", () -> "2");
        registry.add("concierge.rate-limit.plans.tiny.tenant.burst-capacity", () -> "3");
        registry.add("concierge.rate-limit.plans.tiny.client-ip.replenish-rate", () -> "1");
        registry.add("concierge.rate-limit.plans.tiny.client-ip.burst-capacity", () -> "2");
        // a plan no test reaches the limit of (fuzzing, many requests)
        registry.add("concierge.rate-limit.plans.unlimited.tenant.replenish-rate", () -> "100000");
        registry.add("concierge.rate-limit.plans.unlimited.tenant.burst-capacity", () -> "100000");
        registry.add("concierge.rate-limit.plans.unlimited.client-ip.replenish-rate", () -> "100000");
        registry.add("concierge.rate-limit.plans.unlimited.client-ip.burst-capacity", () -> "100000");
        registry.add("concierge.rate-limit.trusted-proxies", () -> "127.0.0.1/32, ::1");
        registry.add("concierge.keys.rotation-grace", () -> GRACE.toMillis() + "ms");
        // Would refuse every other origin (403, no problem body) if Spring Cloud Gateway's CORS were active.
        registry.add("spring.cloud.gateway.server.webflux.globalcors.cors-configurations.[/**].allowed-origins",
                () -> GLOBAL_CORS_ORIGIN);
        registry.add("spring.cloud.gateway.server.webflux.globalcors.cors-configurations.[/**].allowed-methods",
                () -> "GET");
    }

    /** How long a rotated-out key keeps working in these tests. */
    protected static final Duration GRACE = Duration.ofSeconds(3);

    /** The one origin Spring Cloud Gateway's (ignored) global CORS configuration allows. */
    protected static final String GLOBAL_CORS_ORIGIN = "https://global-cors.example";

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Autowired
    TenantCache tenantCache;

    @Autowired
    DownstreamBreakers breakers;

    protected WebTestClient http;

    @BeforeEach
    void cleanState() {
        db.sql("DELETE FROM tenants").then().block(Duration.ofSeconds(10));
        db.sql("DELETE FROM tenant_event_outbox").then().block(Duration.ofSeconds(10));
        tenantCache.clear();
        breakers.resetAll();
        SITE.clear();
        DNS.clear();
        for (DownstreamStub stub : List.of(CHAT, SEARCH, SCRAPER, COMMERCE, EMBEDDING_WORKER)) {
            stub.restart();
            stub.setReady(true);
            stub.reset();
        }
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .build();
    }

    /** An absolute URI on the gateway, sent exactly as written (no re-encoding). */
    protected java.net.URI rawUri(String pathAndQuery) {
        return java.net.URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A tenant as {@code POST /api/admin/tenants} returned it. */
    protected record CreatedTenant(String id, String domain, String apiKey, String widgetKey) {
    }

    /** A tenant that verified its domain (recorded directly in the database, as if by DNS). */
    protected CreatedTenant createTenant(String domain) {
        return createTenant(domain, Map.of());
    }

    /** A verified tenant created with these settings ({@code rate_limit_plan}, {@code allowed_origins}, ...) too. */
    protected CreatedTenant createTenant(String domain, Map<String, Object> settings) {
        CreatedTenant tenant = createUnverifiedTenant(domain, settings);
        db.sql("UPDATE tenants SET verified_at = now(), verification_method = 'dns_txt' WHERE id = :id")
                .bind("id", java.util.UUID.fromString(tenant.id()))
                .then().block(Duration.ofSeconds(10));
        tenantCache.clear();
        return tenant;
    }

    protected CreatedTenant createUnverifiedTenant(String domain) {
        return createUnverifiedTenant(domain, Map.of());
    }

    /** A tenant as {@code POST /api/admin/tenants} registers it: not verified. */
    protected CreatedTenant createUnverifiedTenant(String domain, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(settings);
        body.put("domain", domain);
        body.put("name", "Shop " + domain);
        JsonNode created = json(http.post().uri("/api/admin/tenants")
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody());
        return new CreatedTenant(created.get("tenant_id").asString(), created.get("domain").asString(),
                created.get("api_key").asString(), created.get("widget_key").asString());
    }

    protected static JsonNode json(byte[] body) {
        return JSON.readTree(body);
    }

    /** {@code PATCH /api/admin/tenants/{id}} with this JSON body; the tenant as answered. */
    protected JsonNode patchTenant(String id, String body) {
        return json(http.patch().uri("/api/admin/tenants/{id}", id)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    /** Asserts a problem+json response with this status; its body. */
    protected static JsonNode expectProblem(WebTestClient.ResponseSpec response, int status) {
        JsonNode problem = json(response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody());
        org.assertj.core.api.Assertions.assertThat(problem.get("status").asInt()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(problem.toString()).doesNotContain("Exception")
                .doesNotContain("\tat ");
        return problem;
    }

    /** The values of a header as the stub service received it. */
    protected static List<String> receivedHeader(JsonNode echo, String name) {
        JsonNode values = echo.path("headers").path(name.toLowerCase(java.util.Locale.ROOT));
        return values.isArray() ? values.valueStream().map(JsonNode::asString).toList() : List.of();
    }

    protected static byte[] receivedBody(JsonNode echo) {
        return Base64.getDecoder().decode(echo.get("body_base64").asString());
    }
}
