package dev.concierge.scraper.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.contracts.Topics;
import dev.concierge.scraper.jobs.internal.CrawlJobRunner;
import dev.concierge.scraper.support.TinyShopSite;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service against a real PostgreSQL ({@code concierge_scraper_test}) and a real KRaft Kafka broker,
 * crawling a small site served from this JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.r2dbc.url=r2dbc:postgresql://${PG_HOST:127.0.0.1}:${PG_PORT:5432}/concierge_scraper_test",
        "spring.flyway.url=jdbc:postgresql://${PG_HOST:127.0.0.1}:${PG_PORT:5432}/concierge_scraper_test",
        "scraper.allow-private-hosts=true",
        "scraper.politeness-delay-ms=50"})
@EmbeddedKafka(partitions = 1)
@AutoConfigureWebTestClient
class ScrapeJobsIT {

    private static final String TENANT = "6f1c2a9e-3d4b-4c5a-9e8f-0a1b2c3d4e5f";
    private static final String OTHER_TENANT = "0a0b0c0d-0000-4000-8000-000000000002";
    private static final Duration CRAWL = Duration.ofSeconds(45);

    @Autowired
    WebTestClient http;
    @Autowired
    DatabaseClient db;
    @Autowired
    JsonMapper json;
    @Autowired
    KafkaTemplate<String, String> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    CrawlJobRunner runner;

    private TinyShopSite site;
    private KafkaConsumer<String, String> scraped;

    @BeforeEach
    void setUp() throws Exception {
        db.sql("TRUNCATE job_pages, pages, scrape_jobs").then().block(Duration.ofSeconds(10));
        site = TinyShopSite.shop();
        scraped = consumerFromStart(Topics.PAGE_SCRAPED.name());
    }

    @AfterEach
    void tearDown() {
        // no crawl of this test may still be writing when the next one starts
        await().atMost(CRAWL).until(() -> runner.jobsInProgress() == 0);
        site.close();
        scraped.close();
    }

    @Test
    void crawlsTheSitePublishesItsPagesAndCompletesWhenTheyAreIndexed() throws Exception {
        String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));

        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("pages_scraped").asInt()).isEqualTo(4));
        List<ConsumerRecord<String, String>> events = await().atMost(CRAWL)
                .until(() -> eventsOf(jobId), list -> list.size() >= 4);

        Map<String, JsonNode> byUrl = new HashMap<>();
        for (ConsumerRecord<String, String> event : events) {
            JsonNode value = json.readTree(event.value());
            String url = value.get("url").asString();
            byUrl.put(url, value);
            assertThat(event.key()).isEqualTo(EventKeys.page(TENANT, url));
            assertThat(header(event, CloudEventHeaders.TYPE)).isEqualTo("dev.concierge.scrape.page-scraped.v1");
            assertThat(header(event, CloudEventHeaders.SOURCE)).isEqualTo("/scraper-service");
            assertThat(header(event, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
            assertThat(header(event, CloudEventHeaders.ID)).isNotBlank();
            assertThat(Instant.parse(header(event, CloudEventHeaders.TIME))).isBeforeOrEqualTo(Instant.now());
            assertThat(event.headers().lastHeader("__TypeId__")).isNull();
            assertThat(value.get("tenant_id").asString()).isEqualTo(TENANT);
            assertThat(value.get("job_id").asString()).isEqualTo(jobId);
            assertThat(value.get("content_hash").asString()).isEqualTo(EventKeys.sha256(value.get("text").asString()));
            assertThat(Instant.parse(value.get("scraped_at").asString())).isBeforeOrEqualTo(Instant.now());
            assertThat(value.get("text").asString()).doesNotContain("Our story", "footer", "analytics", "tracking");
        }
        assertThat(byUrl).containsOnlyKeys(site.url("/"), site.url("/about"), site.url("/shipping"), site.url("/returns"));
        JsonNode shipping = byUrl.get(site.url("/shipping"));
        assertThat(shipping.get("title").asString()).isEqualTo("Shipping policy");
        assertThat(shipping.get("text").asString()).isEqualTo("""
                # Shipping policy
                Orders over 60 EUR ship free within the Netherlands.
                ## Delivery times
                - Netherlands: 1-2 working days
                - Belgium: 2-4 working days""");
        assertThat(byUrl.get(site.url("/returns")).get("text").asString()).contains("within 30 days");
        assertThat(site.requestedPaths()).contains("/robots.txt", "/sitemap.xml")
                .doesNotContain("/private/stock", "/logo.png");

        JsonNode crawled = job(jobId);
        assertThat(crawled.get("status").asString()).isEqualTo("running");
        assertThat(crawled.get("pages_discovered").asInt()).isEqualTo(4);

        // the pipeline reports back: /about embedded, three pages indexed, /shipping fails to embed
        publishEmbedded(jobId, site.url("/about"), byUrl, null);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("pages_embedded").asInt()).isEqualTo(1));
        for (String path : List.of("/", "/about", "/returns")) {
            publishIndexed(jobId, site.url(path), byUrl.get(site.url(path)).get("content_hash").asString(), PageIndexed.INDEXED);
        }
        publishIndexed(jobId, site.url("/about"), byUrl.get(site.url("/about")).get("content_hash").asString(), PageIndexed.INDEXED);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("pages_indexed").asInt()).isEqualTo(3));
        assertThat(job(jobId).get("status").asString()).isEqualTo("running");

        publishEmbedded(jobId, site.url("/shipping"), byUrl, "embedding failed: OrtException");
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("status").asString()).isEqualTo("completed"));
        JsonNode done = job(jobId);
        assertThat(done.get("pages_scraped").asInt()).isEqualTo(4);
        assertThat(done.get("pages_embedded").asInt()).isEqualTo(1);
        assertThat(done.get("pages_indexed").asInt()).isEqualTo(3);
        assertThat(done.get("pages_failed").asInt()).isEqualTo(1);
        assertThat(done.get("finished_at").isNull()).isFalse();
        assertThat(done.get("error").isNull()).isTrue();

        // a second crawl publishes only the page that is not indexed yet, and counts the others at once
        String second = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        List<ConsumerRecord<String, String>> republished = await().atMost(CRAWL)
                .until(() -> eventsOf(second), list -> !list.isEmpty());
        assertThat(urls(republished)).containsExactly(site.url("/shipping"));
        await().atMost(CRAWL).untilAsserted(() -> {
            JsonNode j = job(second);
            assertThat(j.get("pages_scraped").asInt()).isEqualTo(4);
            assertThat(j.get("pages_indexed").asInt()).isEqualTo(3);
        });
        publishIndexed(second, site.url("/shipping"), byUrl.get(site.url("/shipping")).get("content_hash").asString(),
                PageIndexed.INDEXED);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(second).get("status").asString()).isEqualTo("completed"));
        assertThat(urls(eventsOf(second))).containsExactly(site.url("/shipping"));
        assertThat(job(second).get("pages_indexed").asInt()).isEqualTo(4);

        // a third crawl finds everything unchanged and indexed: nothing to publish, completes by itself
        String third = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(third).get("status").asString()).isEqualTo("completed"));
        assertThat(eventsOf(third)).isEmpty();
        assertThat(job(third).get("pages_indexed").asInt()).isEqualTo(4);
    }

    @Test
    void forceRescrapePublishesUnchangedPagesAgainAndMaxPagesBoundsTheCrawl() {
        String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 2, "force_rescrape", true));

        await().atMost(CRAWL).untilAsserted(() -> assertThat(eventsOf(jobId)).hasSize(2));
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("pages_discovered").asInt()).isEqualTo(2));
        assertThat(job(jobId).get("pages_scraped").asInt()).isEqualTo(2);
    }

    @Test
    void crawlThatFetchesNothingFailsAndSaysWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = startCrawl(TENANT, Map.of("start_url", "http://127.0.0.1:" + closedPort + "/"));
        try (TinyShopSite closed = TinyShopSite.disallowingEverything()) {
            String disallowed = startCrawl(TENANT, Map.of("start_url", closed.url("/")));

            await().atMost(CRAWL).untilAsserted(() -> {
                assertThat(job(unreachable).get("status").asString()).isEqualTo("failed");
                assertThat(job(disallowed).get("status").asString()).isEqualTo("failed");
            });
            assertThat(job(unreachable).get("error").asString()).contains("start URL could not be fetched");
            assertThat(job(disallowed).get("error").asString()).contains("robots.txt");
            assertThat(closed.requestedPaths()).doesNotContain("/");
        }
    }

    @Test
    void anotherTenantCannotSeeAJobButAnAdminCan() {
        UUID id = insertJob(TENANT, "running");

        http.get().uri("/api/scrape/{id}", id).header("X-Tenant-Id", OTHER_TENANT).header("X-Concierge-Role", "tenant")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.title").exists();
        http.get().uri("/api/scrape/{id}", id).header("X-Concierge-Role", "admin")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.job_id").isEqualTo(id.toString()).jsonPath("$.status").isEqualTo("running");
        http.get().uri("/api/scrape/{id}", id).header("X-Tenant-Id", TENANT)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.domain").isEqualTo("shop.example").jsonPath("$.pages_scraped").isEqualTo(0);
    }

    @Test
    void rejectsInvalidRequestsWithProblemDetails() {
        problem(post(TENANT, "{\"start_url\":\"" + site.url("/") + "\",\"max_pages\":0}"), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("max_pages")
                .jsonPath("$.errors[0].message").exists()
                .jsonPath("$.type").exists().jsonPath("$.detail").exists();
        problem(post(TENANT, "{\"max_pages\":\"many\"}"), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("max_pages");
        problem(post(TENANT, "{\"start_url\":\"ftp://shop.example/\"}"), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("start_url");
        problem(post(TENANT, "{\"start_url\": "), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors").doesNotExist()
                .jsonPath("$.trace").doesNotExist();
        problem(post(TENANT, "{\"domain\":\"other.example\"}"), HttpStatus.FORBIDDEN);
        problem(http.post().uri("/api/scrape").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(),
                HttpStatus.UNAUTHORIZED);
        problem(http.get().uri("/api/scrape/not-a-uuid").header("X-Tenant-Id", TENANT).exchange(), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("job_id");
        problem(http.get().uri("/api/scrape/{id}", UUID.randomUUID()).header("X-Tenant-Id", TENANT).exchange(),
                HttpStatus.NOT_FOUND);
        assertThat(db.sql("SELECT count(*) AS n FROM scrape_jobs").map(r -> r.get("n", Long.class)).one().block())
                .isZero();
    }

    @Test
    void acceptsUnknownFieldsAndAnswersWithTheJobLocation() {
        http.post().uri("/api/scrape")
                .header("X-Tenant-Id", TENANT).header("X-Tenant-Domain", "shop.example").header("X-Concierge-Role", "tenant")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"domain\":\"WWW.Shop.Example\",\"start_url\":\"" + site.url("/") + "\",\"max_pages\":1,\"colour\":\"blue\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().value("Location", location -> assertThat(location).startsWith("/api/scrape/"))
                .expectBody().jsonPath("$.status").isEqualTo("pending").jsonPath("$.job_id").exists();
        await().atMost(CRAWL).until(() -> eventsOf(null).size() == 1);
    }

    @Test
    void restartFailsJobsThatWereLeftRunningOrPending() {
        UUID running = insertJob(TENANT, "running");
        UUID pending = insertJob(TENANT, "pending");
        UUID completed = insertJob(TENANT, "completed");

        assertThat(runner.recoverInterruptedJobs()).isEqualTo(2);

        assertThat(job(running.toString()).get("status").asString()).isEqualTo("failed");
        assertThat(job(running.toString()).get("error").asString()).isEqualTo("scraper restarted");
        assertThat(job(pending.toString()).get("status").asString()).isEqualTo("failed");
        assertThat(job(completed.toString()).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void poisonProgressEventsEndInTheDeadLetterTopic() {
        String poison = "{\"tenant_id\":\"" + TENANT + "\",\"job_id\":\"not-a-uuid\",\"url\":\"http://x/\"}";
        try (var indexedDlt = consumerFromStart(Topics.PAGE_INDEXED.deadLetter());
             var embeddedDlt = consumerFromStart(Topics.CHUNKS_EMBEDDED.deadLetter())) {
            kafka.send(Topics.PAGE_INDEXED.name(), "poison-" + UUID.randomUUID(), poison);
            kafka.send(Topics.CHUNKS_EMBEDDED.name(), "poison-" + UUID.randomUUID(), "{not json");

            List<String> indexed = new ArrayList<>();
            List<String> embedded = new ArrayList<>();
            await().atMost(CRAWL).untilAsserted(() -> {
                indexedDlt.poll(Duration.ofMillis(200)).forEach(r -> indexed.add(r.value()));
                embeddedDlt.poll(Duration.ofMillis(200)).forEach(r -> embedded.add(r.value()));
                assertThat(indexed).contains(poison);
                assertThat(embedded).contains("{not json");
            });
        }
    }

    @Test
    void exposesHealthProbesAndPrometheusMetrics() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    // --- helpers ---

    private String startCrawl(String tenant, Map<String, Object> body) {
        byte[] response = post(tenant, json.writeValueAsString(body))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("pending")
                .returnResult().getResponseBody();
        return json.readTree(response).get("job_id").asString();
    }

    private WebTestClient.ResponseSpec post(String tenant, String body) {
        return http.post().uri("/api/scrape")
                .header("X-Tenant-Id", tenant).header("X-Tenant-Domain", "shop.example").header("X-Concierge-Role", "tenant")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static WebTestClient.BodyContentSpec problem(WebTestClient.ResponseSpec response, HttpStatus status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.title").exists()
                .jsonPath("$.stackTrace").doesNotExist();
    }

    private JsonNode job(String jobId) {
        byte[] body = http.get().uri("/api/scrape/{id}", jobId).header("X-Concierge-Role", "admin")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return json.readTree(body);
    }

    private UUID insertJob(String tenant, String status) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        INSERT INTO scrape_jobs (id, tenant_id, domain, start_url, max_pages, status)
                        VALUES (:id, :tenant, 'shop.example', 'https://shop.example/', 10, :status)
                        """)
                .bind("id", id).bind("tenant", tenant).bind("status", status).then().block(Duration.ofSeconds(10));
        return id;
    }

    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    /** Every page-scraped event seen so far of {@code jobId} (all, for null). */
    private List<ConsumerRecord<String, String>> eventsOf(String jobId) {
        scraped.poll(Duration.ofMillis(300)).forEach(seen::add);
        return seen.stream()
                .filter(r -> jobId == null || jobId.equals(json.readTree(r.value()).get("job_id").asString()))
                .toList();
    }

    private List<String> urls(List<ConsumerRecord<String, String>> events) {
        return events.stream().map(r -> json.readTree(r.value()).get("url").asString()).collect(Collectors.toList());
    }

    private void publishIndexed(String jobId, String url, String hash, String status) throws Exception {
        var event = new PageIndexed(TENANT, jobId, url, hash, 2, status, null, Instant.now());
        send(Topics.PAGE_INDEXED.name(), url, json.writeValueAsString(event));
    }

    private void publishEmbedded(String jobId, String url, Map<String, JsonNode> byUrl, String error) throws Exception {
        List<ChunksEmbedded.Chunk> chunks = error != null ? List.of()
                : List.of(new ChunksEmbedded.Chunk(0, "About us", "We are two potters", new float[] {0.1f, 0.2f, 0.3f}));
        var event = new ChunksEmbedded(TENANT, jobId, url, "t", byUrl.get(url).get("content_hash").asString(),
                "all-minilm-l6-v2-q", 3, chunks, error, Instant.now());
        send(Topics.CHUNKS_EMBEDDED.name(), url, json.writeValueAsString(event));
    }

    private void send(String topic, String url, String value) throws Exception {
        var record = new ProducerRecord<>(topic, EventKeys.page(TENANT, url), value);
        kafka.send(record).get();
    }

    private KafkaConsumer<String, String> consumerFromStart(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(2)), p -> p != null && !p.isEmpty())
                .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // start after what earlier tests published
        return consumer;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
