package dev.concierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public contract, driven through the gateway only: register a tenant, crawl the demo store, wait
 * for `completed` (= searchable), search, chat with citations, remember the session, refuse to guess.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    EmbeddedKafkaKraftBroker kafka;
    Platform platform;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String domain = "e2e-" + System.currentTimeMillis() + ".example";
    /** The demo store's API key pair (infra/demo-store/README.md). */
    static final String DEMO_WC_KEY = "ck_5d1f0c3b9a8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String DEMO_WC_SECRET = "cs_0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3";
    JsonNode tenant;

    @BeforeAll
    void startPlatform() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.brokerProperties(Map.of("message.max.bytes", "8388608", "auto.create.topics.enable", "false"));
        kafka.afterPropertiesSet();
        platform = new Platform(kafka.getBrokersAsString());
        platform.awaitReady(Duration.ofMinutes(4));
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    @Order(1)
    void registersATenantWithNormalisedDomainAndRefusesADuplicate() throws Exception {
        HttpResponse<String> created = send("POST", "/api/admin/tenants", "Bearer " + platform.adminKey, null,
                "{\"domain\":\"https://WWW." + domain.toUpperCase() + "/\",\"name\":\"E2E Cycles\",\"allowed_origins\":[\"" + platform.demoStore() + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        tenant = JSON.readTree(created.body());
        assertThat(tenant.get("domain").asString()).isEqualTo(domain);
        assertThat(tenant.get("api_key").asString()).isNotBlank();
        assertThat(tenant.get("widget_key").asString()).isNotBlank();

        HttpResponse<String> duplicate = send("POST", "/api/admin/tenants", "Bearer " + platform.adminKey, null,
                "{\"domain\":\"" + domain + "\",\"name\":\"again\",\"allowed_origins\":[]}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }

    @Test
    @Order(2)
    void crawlsTheDemoStoreUntilEverythingIsSearchable() throws Exception {
        HttpResponse<String> accepted = send("POST", "/api/scrape", "Bearer " + apiKey(), null,
                "{\"domain\":\"" + domain + "\",\"start_url\":\"" + platform.demoStore() + "\",\"max_pages\":500,\"force_rescrape\":false}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).get("job_id").asString();

        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            job[0] = JSON.readTree(send("GET", "/api/scrape/" + jobId, "Bearer " + apiKey(), null, null).body());
            return List.of("completed", "failed", "cancelled").contains(job[0].get("status").asString());
        });
        JsonNode done = job[0];
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        int scraped = done.get("pages_scraped").asInt();
        assertThat(scraped).as("public pages of the demo store").isGreaterThanOrEqualTo(20);
        assertThat(done.get("pages_indexed").asInt() + done.get("pages_failed").asInt()).isEqualTo(scraped);
        assertThat(done.get("pages_indexed").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(done.get("finished_at").isNull()).isFalse();
    }

    @Test
    @Order(3)
    void searchFindsTheAnsweringPageFirst() throws Exception {
        HttpResponse<String> r = send("GET", "/api/search?domain=" + domain + "&limit=5&q="
                + enc("how long is a gift card valid"), "Bearer " + apiKey(), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(r.body()).get("results");
        assertThat(results.get(0).get("url").asString()).endsWith("/gift-cards/");
        assertThat(results.get(0).get("snippet").asString()).isNotBlank();
    }

    @Test
    @Order(4)
    void answersFromTheStorePageThatHoldsTheAnswerAndCitesItFirst() throws Exception {
        JsonNode reply = chat("How many days do I have to return something?", "e2e-session-1");
        assertThat(reply.get("grounded").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.get("sources").get(0).get("url").asString()).endsWith("/returns/");
        assertThat(reply.get("message").asString()).contains("30 days");
    }

    @Test
    @Order(5)
    void aSecondMessageInTheSameSessionContinuesTheConversation() throws Exception {
        JsonNode first = chat("Do you ship to Germany?", "e2e-session-2");
        JsonNode second = chat("And how much does that cost?", "e2e-session-2");
        assertThat(second.get("conversation_id").asString()).isEqualTo(first.get("conversation_id").asString());
        assertThat(second.get("grounded").asBoolean()).as(second.toString()).isTrue();
        assertThat(second.get("sources").get(0).get("url").asString()).endsWith("/shipping/");
        assertThat(chat("Hello", "e2e-session-3").get("conversation_id").asString())
                .isNotEqualTo(first.get("conversation_id").asString());
    }

    @Test
    @Order(5)
    void everyMessageIsPublishedForSubscribers() throws Exception {
        JsonNode reply = chat("What does a full service cost?", "e2e-session-events");
        String conversation = reply.get("conversation_id").asString();

        Map<String, Object> props = new java.util.HashMap<>(org.springframework.kafka.test.utils.KafkaTestUtils
                .consumerProps(kafka, "e2e-subscriber-" + System.nanoTime(), false));
        props.put("auto.offset.reset", "earliest");
        List<JsonNode> posted = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of("chat.message-posted.v1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    JsonNode event = JSON.readTree(record.value());
                    if (event.get("conversation_id").asString().equals(conversation)) {
                        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                                .isEqualTo("dev.concierge.chat.message-posted.v1");
                        posted.add(event);
                    }
                }
                return posted.size() >= 2;
            });
        }
        assertThat(posted).extracting(e -> e.get("role").asString()).containsExactly("user", "assistant");
        assertThat(posted.get(0).get("content").asString()).isEqualTo("What does a full service cost?");
        assertThat(posted.get(1).get("grounded").asBoolean()).isEqualTo(reply.get("grounded").asBoolean());
        assertThat(posted.get(1).get("sources").toString()).contains("/workshop/");
    }

    @Test
    @Order(6)
    void streamsTheAnswerThroughTheGatewayAsServerSentEvents() throws Exception {
        String body = JSON.writeValueAsString(Map.of("message", "How long do I have to return an item?",
                "session_id", "e2e-session-stream", "domain", domain));
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gateway() + "/api/chat/stream"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .header("X-Widget-Key", tenant.get("widget_key").asString())
                .header("Origin", platform.demoStore().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();

        HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> events = new ArrayList<>(); // {name, data}, in order; ": ping" comments are skipped
        try (java.util.stream.Stream<String> lines = r.body()) {
            String[] event = new String[2];
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event[0] != null) {
                        events.add(event);
                    }
                    event = new String[2];
                } else if (line.startsWith("event:")) {
                    event[0] = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    String data = line.substring("data:".length());
                    data = data.startsWith(" ") ? data.substring(1) : data;
                    event[1] = event[1] == null ? data : event[1] + "\n" + data;
                }
            }
        }
        List<String[]> deltas = events.stream().filter(e -> e[0].equals("delta")).toList();
        assertThat(deltas).as("delta events").hasSizeGreaterThanOrEqualTo(2);
        String[] last = events.get(events.size() - 1);
        assertThat(last[0]).as(last[1]).isEqualTo("done");
        JsonNode done = JSON.readTree(last[1]);
        assertThat(done.get("grounded").asBoolean()).as(done.toString()).isTrue();
        assertThat(done.get("sources").get(0).get("url").asString()).endsWith("/returns/");
        StringBuilder text = new StringBuilder();
        deltas.forEach(d -> text.append(JSON.readTree(d[1]).get("text").asString()));
        assertThat(text.toString()).isEqualTo(done.get("message").asString());
    }

    @Test
    @Order(6)
    void saysItDoesNotKnowWhenTheStoreDoesNotSay() throws Exception {
        for (String question : List.of("What is the capital of Australia?", "Who won the 1998 football World Cup?")) {
            JsonNode reply = chat(question, "e2e-session-4");
            assertThat(reply.get("grounded").asBoolean()).as(question + " → " + reply).isFalse();
            assertThat(reply.get("sources")).isEmpty();
            assertThat(reply.get("message").asString()).containsIgnoringCase("don't know");
        }
    }

    @Test
    @Order(7)
    void answersMostOfTheDemoStoreQuestionSetFromTheRightPage() throws Exception {
        List<String> misses = new ArrayList<>();
        int asked = 0;
        int hits = 0;
        List<String> lines = Files.readAllLines(platform.root.resolve("infra/demo-store/questions.tsv"));
        for (String line : lines.subList(1, lines.size())) { // the first line names the columns
            String[] f = line.split("\t");
            if (f.length < 3 || f[1].equals("-")) {
                continue;
            }
            asked++;
            JsonNode reply = chat(f[0], "e2e-q-" + asked);
            JsonNode sources = reply.get("sources");
            boolean hit = reply.get("grounded").asBoolean() && !sources.isEmpty()
                    && sources.get(0).get("url").asString().endsWith(f[1]);
            if (hit) {
                hits++;
            } else {
                misses.add(f[0] + " → " + (sources.isEmpty() ? "no source" : sources.get(0).get("url").asString()));
            }
        }
        double rate = (double) hits / asked;
        System.out.printf("question set: %d/%d first source on the answering page (%.0f%%)%n", hits, asked, rate * 100);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertThat(rate).as("share of questions whose first source is the answering page; misses: %s", misses)
                .isGreaterThanOrEqualTo(0.8);
    }

    @Test
    @Order(8)
    void healthAggregatesEveryService() throws Exception {
        HttpResponse<String> r = send("GET", "/api/health", null, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        for (String svc : Platform.SERVICES) {
            assertThat(health.get("services").has(svc)).as(svc).isTrue();
        }
    }

    @Test
    @Order(9)
    void theChatNeedsTheTenantsWidgetKey() throws Exception {
        HttpResponse<String> r = send("POST", "/api/chat", null, "not-a-key",
                "{\"message\":\"hi\",\"session_id\":\"x\",\"domain\":\"" + domain + "\"}");
        assertThat(r.statusCode()).isIn(401, 404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }

    /**
     * The store's WooCommerce API connected through the gateway: its catalog synced, a stock question answered
     * from live commerce data citing the product's page, a stock change in the store reaching the answer through
     * the store's signed webhook (via the gateway's public webhook route), and an order found only with its
     * number and e-mail.
     */
    @Test
    @Order(10)
    void answersStockAndOrderQuestionsFromTheConnectedStore() throws Exception {
        HttpResponse<String> connected = send("PUT", "/api/commerce/connection", "Bearer " + apiKey(), null,
                "{\"platform\":\"woocommerce\",\"store_url\":\"" + platform.demoStore().replaceAll("/$", "")
                        + "\",\"consumer_key\":\"" + DEMO_WC_KEY + "\",\"consumer_secret\":\"" + DEMO_WC_SECRET + "\"}");
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).doesNotContain(DEMO_WC_SECRET).doesNotContain(DEMO_WC_KEY);
        String syncId = JSON.readTree(connected.body()).get("sync_id").asString();
        JsonNode[] sync = new JsonNode[1];
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            sync[0] = JSON.readTree(send("GET", "/api/commerce/sync/" + syncId, "Bearer " + apiKey(), null, null).body());
            return !sync[0].get("status").asString().equals("running");
        });
        assertThat(sync[0].get("status").asString()).as(sync[0].toString()).isEqualTo("completed");
        assertThat(sync[0].get("created").asInt()).as(sync[0].toString()).isGreaterThanOrEqualTo(10);
        HttpResponse<String> hooks = send("POST", "/api/commerce/webhooks/register", "Bearer " + apiKey(), null, "{}");
        assertThat(hooks.statusCode()).as(hooks.body()).isEqualTo(201);

        JsonNode stock = chat("Is the TrackPro floor pump in stock?", "e2e-stock-1");
        assertThat(stock.get("message").asString()).as(stock.toString()).contains("TrackPro Floor Pump").contains("in stock")
                .contains("23 available");
        assertThat(stock.get("sources").get(0).get("url").asString()).endsWith("/products/trackpro-floor-pump/");

        // the store sells out: its product.updated webhook (signed, through the gateway) updates the answer
        HttpResponse<String> soldOut = storeApi("PUT", "/wp-json/wc/v3/products/103", "{\"stock_quantity\":0}");
        assertThat(soldOut.statusCode()).as(soldOut.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(chat("Is the TrackPro floor pump in stock?", "e2e-stock-" + System.nanoTime())
                        .get("message").asString()).contains("out of stock"));

        JsonNode ask = chat("Where is my order 1041?", "e2e-order-1");
        assertThat(ask.get("message").asString()).as(ask.toString()).containsIgnoringCase("e-mail");
        JsonNode wrong = chat("It is someone.else@example.com", "e2e-order-1");
        assertThat(wrong.get("message").asString()).as(wrong.toString()).doesNotContain("completed").doesNotContain("3SCSPK");
        JsonNode found = chat("Order 1041, e-mail anna.devries@example.com", "e2e-order-2");
        assertThat(found.get("message").asString()).as(found.toString()).contains("1041").contains("completed")
                .contains("3SCSPK0001041NL");
    }

    /** The demo store's WooCommerce API, as the store's admin (Basic auth, allowed over HTTP for this test). */
    private HttpResponse<String> storeApi(String method, String path, String body) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString((DEMO_WC_KEY + ":" + DEMO_WC_SECRET).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(platform.demoStore().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * At-least-once end to end: a site is ingested once undisturbed (the reference) and once more, for a
     * second tenant, while embedding-worker and then search-service are killed with -9 mid-ingest and
     * restarted. The second index must hold exactly the reference's pages and chunks: nothing lost (every
     * page indexed, the job completed), nothing duplicated (the same chunk count).
     */
    @Test
    @Order(100)
    void killingTheWorkerAndSearchMidIngestLosesAndDuplicatesNothing() throws Exception {
        String site = platform.serveGeneratedSite(60);
        JsonNode reference = register("reference-" + domain);
        JsonNode killed = register("killed-" + domain);

        JsonNode referenceJob = awaitJob(reference, crawl(reference, site), job -> false);
        assertThat(referenceJob.get("status").asString()).as(referenceJob.toString()).isEqualTo("completed");
        JsonNode referenceStats = stats(reference);
        long pages = referenceStats.get("pages").asLong();
        long chunks = referenceStats.get("chunks").asLong();
        assertThat(pages).as("the generated site's pages").isGreaterThanOrEqualTo(60);

        String jobId = crawl(killed, site);
        awaitJob(killed, jobId, job -> job.get("pages_indexed").asInt() >= 10);
        platform.kill("embedding-worker");
        platform.restart("embedding-worker", Duration.ofMinutes(2));
        int before = awaitJob(killed, jobId, job -> job.get("pages_indexed").asInt() >= 10).get("pages_indexed").asInt();
        awaitJob(killed, jobId, job -> job.get("pages_indexed").asInt() >= before + 10);
        platform.kill("search-service");
        platform.restart("search-service", Duration.ofMinutes(2));
        JsonNode done = awaitJob(killed, jobId, job -> false);

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("pages_failed").asInt()).as(done.toString()).isZero();
        JsonNode afterKills = stats(killed);
        assertThat(afterKills.get("pages").asLong()).as(afterKills.toString()).isEqualTo(pages);
        assertThat(afterKills.get("chunks").asLong()).as(afterKills.toString()).isEqualTo(chunks);
    }

    private JsonNode register(String newDomain) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/admin/tenants", "Bearer " + platform.adminKey, null,
                "{\"domain\":\"" + newDomain + "\",\"name\":\"Crash test\",\"allowed_origins\":[]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private String crawl(JsonNode owner, String site) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/scrape", "Bearer " + owner.get("api_key").asString(), null,
                "{\"domain\":\"" + owner.get("domain").asString() + "\",\"start_url\":\"" + site
                        + "\",\"max_pages\":500,\"max_depth\":50,\"recrawl_interval\":\"off\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("job_id").asString();
    }

    /** Polls the job until it has finished or {@code enough} holds; returns its last view. */
    private JsonNode awaitJob(JsonNode owner, String jobId, java.util.function.Predicate<JsonNode> enough) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            job[0] = JSON.readTree(send("GET", "/api/scrape/" + jobId, "Bearer " + owner.get("api_key").asString(), null, null).body());
            return List.of("completed", "failed", "cancelled").contains(job[0].get("status").asString()) || enough.test(job[0]);
        });
        return job[0];
    }

    private JsonNode stats(JsonNode owner) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", "/api/search/stats?domain=" + owner.get("domain").asString(),
                "Bearer " + owner.get("api_key").asString(), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode chat(String message, String session) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("message", message, "session_id", session, "domain", domain));
        HttpResponse<String> r = send("POST", "/api/chat", null, tenant.get("widget_key").asString(), body);
        // One test client asks dozens of questions in a row from one address: like a real widget, it waits as
        // long as the gateway's per-client rate limit says (429 + Retry-After) and asks again.
        for (int attempt = 0; r.statusCode() == 429 && attempt < 20; attempt++) {
            Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
            r = send("POST", "/api/chat", null, tenant.get("widget_key").asString(), body);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String apiKey() {
        return tenant.get("api_key").asString();
    }

    private HttpResponse<String> send(String method, String path, String authorization, String widgetKey, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.gateway() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (widgetKey != null) {
            // the widget key is honoured only from the tenant's allowed origins: the demo store's page
            b.header("X-Widget-Key", widgetKey).header("Origin", platform.demoStore().replaceAll("/$", ""));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
