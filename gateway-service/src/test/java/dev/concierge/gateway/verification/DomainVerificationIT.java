package dev.concierge.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.concierge.gateway.support.GatewayIntegrationTest;
import dev.concierge.gateway.support.TestSite.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Domain verification through the admin API, against {@code SITE} (the tenant's site, the domain {@code localhost})
 * and {@code DNS}, and what an unverified tenant may not do.
 */
class DomainVerificationIT extends GatewayIntegrationTest {

    private static final String DOMAIN = "localhost";

    private JsonNode issue(String tenantId) {
        return json(http.post().uri("/api/admin/tenants/{id}/verification", tenantId)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private JsonNode verify(String tenantId) {
        return json(http.post().uri("/api/admin/tenants/{id}/verification/verify", tenantId)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private JsonNode tenant(String tenantId) {
        return json(http.get().uri("/api/admin/tenants/{id}", tenantId)
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private static java.util.List<String> outcomes(JsonNode result) {
        return result.get("attempts").valueStream().map(a -> a.get("outcome").asString()).toList();
    }

    @Test
    void issuesATokenWithInstructionsForEachMethod() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);

        JsonNode issued = issue(tenant.id());

        String token = issued.get("token").asString();
        assertThat(token).startsWith("concierge-").hasSizeGreaterThan(40);
        assertThat(issued.get("domain").asString()).isEqualTo(DOMAIN);
        assertThat(issued.get("verified").asBoolean()).isFalse();
        assertThat(Instant.parse(issued.get("issued_at").asString())).isBeforeOrEqualTo(Instant.now());
        JsonNode methods = issued.get("methods");
        assertThat(methods.valueStream().map(m -> m.get("method").asString()))
                .containsExactly("well_known_file", "dns_txt", "meta_tag");
        assertThat(methods.get(0).get("url").asString())
                .isEqualTo("http://localhost:" + SITE.port() + "/.well-known/concierge-verify.txt");
        assertThat(methods.get(0).get("content").asString()).isEqualTo(token);
        assertThat(methods.get(1).get("name").asString()).isEqualTo("_concierge-verify.localhost");
        assertThat(methods.get(1).get("value").asString()).isEqualTo(token);
        assertThat(methods.get(1).has("url")).isFalse();
        assertThat(methods.get(2).get("tag").asString())
                .isEqualTo("<meta name=\"concierge-verification\" content=\"" + token + "\">");
        assertThat(issued.get("verify").asString())
                .isEqualTo("POST /api/admin/tenants/" + tenant.id() + "/verification/verify");

        // shown again without a new token; a new POST replaces it
        JsonNode current = json(http.get().uri("/api/admin/tenants/{id}/verification", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(current.get("token").asString()).isEqualTo(token);
        assertThat(issue(tenant.id()).get("token").asString()).isNotEqualTo(token);
        assertThat(tenant(tenant.id()).get("verified").asBoolean()).isFalse();
    }

    @Test
    void verifiesByTheWellKnownFileAndShowsItInGet() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);
        String token = issue(tenant.id()).get("token").asString();
        SITE.answer(DomainVerifier.WELL_KNOWN_PATH, Answer.ok("text/plain", token + "\n"));

        JsonNode result = verify(tenant.id());

        assertThat(result.get("verified").asBoolean()).isTrue();
        assertThat(result.get("verification_method").asString()).isEqualTo("well_known_file");
        assertThat(outcomes(result)).containsExactly("verified");
        JsonNode shown = tenant(tenant.id());
        assertThat(shown.get("verified").asBoolean()).isTrue();
        assertThat(shown.get("verification_method").asString()).isEqualTo("well_known_file");
        assertThat(Instant.parse(shown.get("verified_at").asString())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void verifiesByTheDnsTxtRecord() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);
        String token = issue(tenant.id()).get("token").asString();
        DNS.txt("_concierge-verify.localhost", token);

        JsonNode result = verify(tenant.id());

        assertThat(result.get("verified").asBoolean()).isTrue();
        assertThat(result.get("verification_method").asString()).isEqualTo("dns_txt");
        assertThat(outcomes(result)).containsExactly("not_found", "verified");
        assertThat(tenant(tenant.id()).get("verification_method").asString()).isEqualTo("dns_txt");
    }

    @Test
    void verifiesByTheMetaTag() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);
        String token = issue(tenant.id()).get("token").asString();
        SITE.answer("/", Answer.ok("text/html", "<html><head><meta name=\"concierge-verification\" content=\""
                + token + "\"></head><body>Shop</body></html>"));

        JsonNode result = verify(tenant.id());

        assertThat(result.get("verified").asBoolean()).isTrue();
        assertThat(result.get("verification_method").asString()).isEqualTo("meta_tag");
        assertThat(outcomes(result)).containsExactly("not_found", "nxdomain", "verified");
    }

    @Test
    void saysWhyEveryMethodFailedAndLeavesTheTenantUnverified() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);
        issue(tenant.id());
        SITE.answer(DomainVerifier.WELL_KNOWN_PATH, Answer.ok("text/plain", "concierge-an-old-token"));
        DNS.txt("_concierge-verify.localhost", "concierge-an-old-token");
        SITE.answer("/", Answer.ok("text/html", "<html><head><title>Shop</title></head></html>"));

        JsonNode result = verify(tenant.id());

        assertThat(result.get("verified").asBoolean()).isFalse();
        assertThat(result.get("verification_method").isNull()).isTrue();
        assertThat(outcomes(result)).containsExactly("wrong_token", "wrong_token", "not_found");
        assertThat(result.get("attempts").valueStream().map(a -> a.get("method").asString()))
                .containsExactly("well_known_file", "dns_txt", "meta_tag");
        assertThat(result.get("attempts").get(1).get("target").asString()).isEqualTo("_concierge-verify.localhost");
        assertThat(result.get("attempts").valueStream()).allSatisfy(a -> assertThat(a.get("detail").asString())
                .isNotBlank());
        assertThat(tenant(tenant.id()).get("verified").asBoolean()).isFalse();
    }

    @Test
    void refusesVerifyingWithoutATokenAndUnknownTenants() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);

        JsonNode noToken = expectProblem(http.post().uri("/api/admin/tenants/{id}/verification/verify", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(), 409);
        assertThat(noToken.get("detail").asString()).contains("POST /api/admin/tenants/" + tenant.id()
                + "/verification first");
        expectProblem(http.get().uri("/api/admin/tenants/{id}/verification", tenant.id())
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(), 409);
        expectProblem(http.post().uri("/api/admin/tenants/{id}/verification", "0d8a2f7e-0000-4000-8000-000000000000")
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(), 404);
        expectProblem(http.post().uri("/api/admin/tenants/not-a-uuid/verification/verify")
                .headers(h -> h.setBearerAuth(ADMIN_KEY)).exchange(), 404);
        expectProblem(http.post().uri("/api/admin/tenants/{id}/verification", tenant.id())
                .headers(h -> h.setBearerAuth(tenant.apiKey())).exchange(), 401);
    }

    @Test
    void anUnverifiedTenantMayNotCrawlNorServeTheWidgetChatUntilItIsVerified() {
        CreatedTenant tenant = createUnverifiedTenant(DOMAIN);

        JsonNode crawl = expectProblem(startCrawl(tenant.apiKey()), 403);
        assertThat(crawl.get("type").asString()).isEqualTo(VerifiedDomainFilter.PROBLEM_TYPE);
        assertThat(crawl.get("detail").asString()).startsWith("Domain not verified");
        JsonNode chat = expectProblem(widgetChat(tenant.widgetKey()), 403);
        assertThat(chat.get("detail").asString()).startsWith("Domain not verified");
        assertThat(SCRAPER.requests()).isZero();
        assertThat(CHAT.requests()).isZero();

        // reading jobs, server-to-server chat and the operator's admin key are not refused
        http.get().uri("/api/scrape").headers(h -> h.setBearerAuth(tenant.apiKey())).exchange().expectStatus().isOk();
        http.post().uri("/api/chat").headers(h -> h.setBearerAuth(tenant.apiKey()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"hi\"}")
                .exchange().expectStatus().isOk();
        startCrawl(ADMIN_KEY, "{\"domain\":\"localhost\",\"start_url\":\"https://localhost/\"}").expectStatus().isOk();

        String token = issue(tenant.id()).get("token").asString();
        DNS.txt("_concierge-verify.localhost", token);
        assertThat(verify(tenant.id()).get("verified").asBoolean()).isTrue();

        startCrawl(tenant.apiKey()).expectStatus().isOk();
        widgetChat(tenant.widgetKey()).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec startCrawl(String key) {
        return startCrawl(key, "{\"start_url\":\"https://localhost/\"}");
    }

    private WebTestClient.ResponseSpec startCrawl(String key, String body) {
        return http.post().uri("/api/scrape")
                .headers(h -> h.setBearerAuth(key))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec widgetChat(String widgetKey) {
        return http.post().uri("/api/chat?domain=localhost")
                .header("X-Widget-Key", widgetKey)
                .header("Origin", "https://localhost")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"Do you ship to Norway?\"}")
                .exchange();
    }
}
