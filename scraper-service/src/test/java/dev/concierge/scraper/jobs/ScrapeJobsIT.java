package dev.concierge.scraper.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.contracts.TenantUpdated;
import dev.concierge.contracts.Topics;
import dev.concierge.scraper.jobs.internal.CrawlJobRunner;
import dev.concierge.scraper.support.TinyShopSite;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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
        "scraper.politeness-delay-ms=50",
        "scraper.recrawl-check-ms=200",
        // tests move the clock: the stale page sweep runs only when a test calls it
        "scraper.stale-check-ms=3600000"})
@EmbeddedKafka(partitions = 1)
@AutoConfigureWebTestClient
@SuppressWarnings("unchecked")
class ScrapeJobsIT {

    /** The scheduler's clock, which a test can move forward. */
    static final class MovableClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        void reset() {
            offset = Duration.ZERO;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @TestConfiguration
    static class MovableClockConfiguration {

        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }
    }

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
    @Autowired
    MovableClock clock;
    @Autowired
    RecrawlScheduler scheduler;
    @Autowired
    StalePageSweeper sweeper;

    private TinyShopSite site;
    private KafkaConsumer<String, String> scraped;
    private KafkaConsumer<String, String> removed;

    @BeforeEach
    void setUp() throws Exception {
        db.sql("TRUNCATE job_pages, pages, scrape_jobs, crawl_schedules, tenant_statuses").then().block(Duration.ofSeconds(10));
        clock.reset();
        site = TinyShopSite.shop();
        scraped = consumerFromStart(Topics.PAGE_SCRAPED.name());
        removed = consumerFromStart(Topics.PAGE_REMOVED.name());
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        // no crawl of this test may still be writing when the next one starts
        await().atMost(CRAWL).until(() -> runner.jobsInProgress() == 0);
        site.close();
        scraped.close();
        removed.close();
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

    /**
     * A switch of the embedding model re-embeds through the pipeline: the chunks-embedded event records the
     * model each page was embedded with, and a page embedded with another model than the configured one is
     * re-published by the next (not forced) crawl although its content is unchanged.
     */
    @Test
    void pagesEmbeddedWithAnotherModelThanTheConfiguredOneArePublishedAgain() throws Exception {
        Map<String, String> hashes = crawlAndIndexEverything(4);
        String about = site.url("/about");
        Map<String, JsonNode> byUrl = new HashMap<>();
        for (var e : hashes.entrySet()) {
            byUrl.put(e.getKey(), json.readTree("{\"content_hash\":\"" + e.getValue() + "\"}"));
        }
        publishEmbedded("00000000-0000-0000-0000-000000000000", about, byUrl, null);
        await().atMost(CRAWL).until(() -> "all-minilm-l6-v2-q".equals(embeddedModel(about)));

        // unchanged and embedded with the configured model: nothing to publish
        String unchanged = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(unchanged).get("status").asString()).isEqualTo("completed"));
        assertThat(eventsOf(unchanged)).isEmpty();

        // the pages were embedded by another model (the platform's EMBEDDING_MODEL changed since): all go again
        db.sql("update pages set embedded_model = 'text-embedding-3-small' where tenant_id = :t").bind("t", TENANT)
                .fetch().rowsUpdated().block();
        String reembed = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        await().atMost(CRAWL).untilAsserted(() -> assertThat(urls(eventsOf(reembed))).containsExactlyInAnyOrderElementsOf(hashes.keySet()));
    }

    private String embeddedModel(String url) {
        return db.sql("select embedded_model from pages where tenant_id = :t and url = :u").bind("t", TENANT).bind("u", url)
                .map(r -> java.util.Optional.ofNullable(r.get(0, String.class))).one().block().orElse(null);
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
        problem(post(TENANT, "{\"include\":[\"^/shop/\", \"(unclosed\"]}"), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("include[1]")
                .jsonPath("$.errors[0].message").value(m -> assertThat((String) m).contains("regular expression"));
        problem(post(TENANT, "{\"max_depth\":51,\"exclude\":[\"\"],\"recrawl_interval\":\"PT5M\"}"),
                HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<Object>) fields)
                        .containsExactly("max_depth", "exclude[0]", "recrawl_interval"));
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

    @Test
    void cancellingStopsARunningCrawlAndASecondCrawlOfTheSameUrlIsRefusedMeanwhile() throws Exception {
        try (TinyShopSite big = TinyShopSite.shop()) {
            // robots.txt asks for a second between requests: 40 pages would take 40 s
            big.add("/robots.txt", "text/plain", "User-agent: *\nCrawl-delay: 1\n");
            StringBuilder links = new StringBuilder("<h1>Big shop</h1>");
            for (int i = 1; i <= 40; i++) {
                big.addPage("/product/" + i, "Product " + i, "<h1>Product " + i + "</h1><p>A fine mug number " + i + ".</p>");
                links.append("<a href=\"/product/").append(i).append("\">Product ").append(i).append("</a>");
            }
            big.addPage("/", "Big shop", links.toString());
            String jobId = startCrawl(TENANT, Map.of("start_url", big.url("/"), "max_pages", 100));

            await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("pages_scraped").asInt()).isGreaterThanOrEqualTo(2));
            problem(post(TENANT, json.writeValueAsString(Map.of("start_url", big.url("/")))), HttpStatus.CONFLICT)
                    .jsonPath("$.running_job_id").isEqualTo(jobId)
                    .jsonPath("$.detail").value(d -> assertThat((String) d).contains(jobId));

            http.delete().uri("/api/scrape/{id}", jobId)
                    .header("X-Tenant-Id", TENANT).header("X-Concierge-Role", "tenant")
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.job_id").isEqualTo(jobId).jsonPath("$.status").isEqualTo("cancelled");
            await().atMost(CRAWL).until(() -> runner.jobsInProgress() == 0);
            int requestsWhenStopped = big.requestedPaths().size();

            assertThat(requestsWhenStopped).isLessThan(20);
            JsonNode cancelled = job(jobId);
            assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
            assertThat(cancelled.get("finished_at").isNull()).isFalse();
            assertThat(cancelled.get("pages_scraped").asInt()).isLessThan(20);
            assertThat(big.requestedPaths()).hasSize(requestsWhenStopped);
            problem(http.delete().uri("/api/scrape/{id}", jobId).header("X-Tenant-Id", TENANT).exchange(), HttpStatus.CONFLICT)
                    .jsonPath("$.status").isEqualTo(409);
            problem(http.delete().uri("/api/scrape/{id}", jobId).header("X-Tenant-Id", OTHER_TENANT).exchange(),
                    HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void listsTheTenantsJobsNewestFirst() {
        Instant now = Instant.now();
        UUID oldest = insertJob(TENANT, "completed", now.minusSeconds(300));
        UUID middle = insertJob(TENANT, "failed", now.minusSeconds(200));
        UUID newest = insertJob(TENANT, "running", now.minusSeconds(100));
        UUID others = insertJob(OTHER_TENANT, "completed", now);

        http.get().uri("/api/scrape").header("X-Tenant-Id", TENANT).header("X-Concierge-Role", "tenant")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.jobs[*].job_id").value(ids -> assertThat((List<Object>) ids)
                        .containsExactly(newest.toString(), middle.toString(), oldest.toString()))
                .jsonPath("$.jobs[0].status").isEqualTo("running")
                .jsonPath("$.jobs[0].pages_removed").isEqualTo(0);
        http.get().uri("/api/scrape?limit=2").header("X-Tenant-Id", TENANT)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.jobs.length()").isEqualTo(2);
        // an admin naming a domain: the gateway resolves it to the tenant
        http.get().uri("/api/scrape?domain=other.example").header("X-Tenant-Id", OTHER_TENANT).header("X-Concierge-Role", "admin")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.jobs[*].job_id").value(ids -> assertThat((List<Object>) ids)
                        .containsExactly(others.toString()));
        problem(http.get().uri("/api/scrape?limit=101").header("X-Tenant-Id", TENANT).exchange(), HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("limit");
        problem(http.get().uri("/api/scrape").header("X-Tenant-Id", TENANT).header("X-Concierge-Role", "widget").exchange(),
                HttpStatus.FORBIDDEN);
        problem(http.get().uri("/api/scrape").exchange(), HttpStatus.UNAUTHORIZED);
    }

    @Test
    void reCrawlRevalidatesRepublishesOnlyChangedPagesAndRemovesGoneAndUnlinkedPages() throws Exception {
        Map<String, String> hashes = crawlAndIndexEverything(4);

        // /about changes; the others answer 304 to their stored ETag and count as indexed at once
        site.addPage("/about", "About us", "<h1>About us</h1><p>We are three potters now.</p>");
        String second = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        List<ConsumerRecord<String, String>> republished = await().atMost(CRAWL)
                .until(() -> eventsOf(second), list -> !list.isEmpty());
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(second).get("crawl_finished").asBoolean()).isTrue());
        assertThat(urls(eventsOf(second))).containsExactly(site.url("/about"));
        assertThat(site.notModifiedPaths()).contains("/", "/shipping", "/returns").doesNotContain("/about");
        JsonNode revalidated = job(second);
        assertThat(revalidated.get("pages_scraped").asInt()).isEqualTo(4);
        assertThat(revalidated.get("pages_indexed").asInt()).isEqualTo(3);
        assertThat(revalidated.get("pages_removed").asInt()).isZero();
        String aboutHash = json.readTree(republished.get(0).value()).get("content_hash").asString();
        assertThat(aboutHash).isNotEqualTo(hashes.get(site.url("/about")));
        publishIndexed(second, site.url("/about"), aboutHash, PageIndexed.INDEXED);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(second).get("status").asString()).isEqualTo("completed"));
        assertThat(removedEvents()).isEmpty();

        // /shipping now answers 404; /returns is no longer in the sitemap, and nothing links to it
        site.gone("/shipping");
        site.add("/sitemap.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/</loc></url></urlset>
                """.formatted(site.origin()));
        String third = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(third).get("status").asString()).isEqualTo("completed"));

        List<ConsumerRecord<String, String>> removals = removedEvents();
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> event : removals) {
            JsonNode value = json.readTree(event.value());
            assertThat(event.key()).isEqualTo(EventKeys.page(TENANT, value.get("url").asString()));
            assertThat(value.get("job_id").asString()).isEqualTo(third);
            assertThat(header(event, CloudEventHeaders.TYPE)).isEqualTo("dev.concierge.scrape.page-removed.v1");
            reasons.put(value.get("url").asString(), value.get("reason").asString());
        }
        assertThat(removals).hasSize(2);
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                site.url("/shipping"), "gone", site.url("/returns"), "unlinked"));
        JsonNode done = job(third);
        assertThat(done.get("pages_removed").asInt()).isEqualTo(2);
        assertThat(done.get("pages_failed").asInt()).isZero();
        assertThat(eventsOf(third)).isEmpty();
        assertThat(storedUrls()).containsExactlyInAnyOrder(site.url("/"), site.url("/about"));
    }

    @Test
    void normalisesUrlsHonoursExcludePatternsAndDefaultExcludes() {
        site.addPage("/", "Tiny Shop", """
                <h1>Tiny Shop</h1>
                <a href="/about?utm_source=newsletter&utm_medium=email">About</a>
                <a href="/about#team">Team</a> <a href="/about?ref=home">About again</a> <a href="/about">About</a>
                <a href="/sale?b=2&a=1">Sale</a> <a href="/sale?a=1&b=2&gclid=xyz">Sale again</a>
                <a href="/blog/secret">Blog</a> <a href="/cart">Cart</a> <a href="/shop/?add-to-cart=12">Add</a>
                <a href="/my-account/">Account</a> <a href="/shop/page/25/">Page 25</a> <a href="/shop/page/2/">Page 2</a>
                """);
        site.addPage("/sale", "Sale", "<h1>Sale</h1><p>Everything half price.</p>");
        site.addPage("/shop/page/2/", "Shop page 2", "<h1>Shop</h1><p>More mugs.</p>");
        site.addPage("/blog/secret", "Blog", "<h1>Blog</h1><p>Not for the index.</p>");
        site.addPage("/cart", "Cart", "<h1>Cart</h1>");
        String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50, "exclude", List.of("^/blog/")));

        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("crawl_finished").asBoolean()).isTrue());
        assertThat(site.requestedUris()).filteredOn(u -> u.startsWith("/about")).containsExactly("/about");
        assertThat(site.requestedUris()).filteredOn(u -> u.startsWith("/sale")).containsExactly("/sale?a=1&b=2");
        assertThat(site.requestedPaths()).contains("/shop/page/2/")
                .doesNotContain("/blog/secret", "/cart", "/shop/", "/my-account/", "/shop/page/25/");
        assertThat(urls(eventsOf(jobId))).contains(site.url("/about"), site.url("/sale?a=1&b=2"));
    }

    @Test
    void followsSitemapIndexesNamedByRobotsTxtAndSkipsNonHtmlWithAReason() {
        site.add("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\nSitemap: " + site.url("/maps/index.xml") + "\n");
        site.add("/maps/index.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>%1$s/maps/nested-index.xml</loc></sitemap>
                </sitemapindex>
                """.formatted(site.origin()));
        site.add("/maps/nested-index.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>%1$s/maps/pages.xml</loc></sitemap>
                </sitemapindex>
                """.formatted(site.origin()));
        site.add("/maps/pages.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>%1$s/hidden-collection</loc></url>
                  <url><loc>%1$s/price-list</loc></url>
                </urlset>
                """.formatted(site.origin()));
        site.addPage("/hidden-collection", "Hidden collection", "<h1>Hidden collection</h1><p>Only in a nested sitemap.</p>");
        site.add("/price-list", "text/plain", "mug 12 EUR");
        String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));

        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("crawl_finished").asBoolean()).isTrue());
        assertThat(urls(eventsOf(jobId))).contains(site.url("/hidden-collection"));
        assertThat(job(jobId).get("pages_skipped").asInt()).isEqualTo(1);
        assertThat(db.sql("SELECT error FROM job_pages WHERE job_id = :job AND state = 'skipped'")
                .bind("job", UUID.fromString(jobId)).map(r -> r.get("error", String.class)).one().block())
                .isEqualTo("not HTML (text/plain)");
    }

    @Test
    void schedulerReCrawlsWhenTheIntervalHasPassed() throws Exception {
        crawlAndIndexEverything(4, Map.of("recrawl_interval", "PT2H", "max_depth", 3));
        clock.advance(Duration.ofMinutes(90));
        assertThat(scheduler.startDue()).isEmpty();
        assertThat(jobIds()).hasSize(1);

        clock.advance(Duration.ofMinutes(31));
        await().atMost(CRAWL).until(() -> jobIds().size() == 2);
        String rescheduled = jobIds().get(0);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(rescheduled).get("status").asString()).isEqualTo("completed"));
        JsonNode recrawl = job(rescheduled);
        assertThat(recrawl.get("scheduled").asBoolean()).isTrue();
        assertThat(recrawl.get("force_rescrape").asBoolean()).isFalse();
        assertThat(recrawl.get("max_depth").asInt()).isEqualTo(3);
        assertThat(recrawl.get("recrawl_interval").asString()).isEqualTo("PT2H");
        assertThat(recrawl.get("pages_indexed").asInt()).isEqualTo(4);
        assertThat(eventsOf(rescheduled)).isEmpty();
        // the re-crawl completed just now (by the database clock): not due again
        clock.advance(Duration.ofMinutes(30));
        assertThat(scheduler.startDue()).isEmpty();
        assertThat(jobIds()).hasSize(2);
    }

    @Test
    void scheduledReCrawlsSkipATenantWhileTheGatewaySaysItIsDisabled() throws Exception {
        crawlAndIndexEverything(4, Map.of("recrawl_interval", "PT2H"));
        Instant disabledAt = Instant.now();
        publishTenant(TENANT, TenantUpdated.DISABLED, disabledAt, "status");
        // a late, older event (a redelivery) must not undo the newer one; the other tenant's event comes after
        // both on the one partition, so once it is recorded, so are they
        publishTenant(TENANT, TenantUpdated.ACTIVE, disabledAt.minusSeconds(60), "created");
        publishTenant(OTHER_TENANT, TenantUpdated.ACTIVE, disabledAt, "created");
        await().atMost(CRAWL).until(() -> TenantUpdated.ACTIVE.equals(tenantStatus(OTHER_TENANT)));
        assertThat(tenantStatus(TENANT)).isEqualTo(TenantUpdated.DISABLED);

        clock.advance(Duration.ofHours(3));
        assertThat(scheduler.startDue()).isEmpty();
        assertThat(jobIds()).hasSize(1);

        publishTenant(TENANT, TenantUpdated.ACTIVE, Instant.now(), "status");
        await().atMost(CRAWL).until(() -> jobIds().size() == 2);
        String rescheduled = jobIds().get(0);
        assertThat(job(rescheduled).get("scheduled").asBoolean()).isTrue();
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(rescheduled).get("status").asString())
                .isEqualTo("completed"));
    }

    @Test
    void malformedTenantEventsEndInTheDeadLetterTopic() throws Exception {
        KafkaConsumer<String, String> dlt = consumerFromStart(Topics.TENANT_UPDATED.deadLetter());
        try {
            kafka.send(new ProducerRecord<>(Topics.TENANT_UPDATED.name(), TENANT, "{\"tenant_id\":\"" + TENANT
                    + "\",\"status\":\"paused\"}")).get();
            List<ConsumerRecord<String, String>> dead = new ArrayList<>();
            await().atMost(CRAWL).until(() -> {
                dlt.poll(Duration.ofMillis(300)).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(dead.get(0).key()).isEqualTo(TENANT);
            assertThat(tenantStatus(TENANT)).isNull();
        } finally {
            dlt.close();
        }
    }

    @Test
    void pagesThePipelineNeverAnswersForFailAfterTheTimeoutAndTheJobCompletes() throws Exception {
        String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
        List<ConsumerRecord<String, String>> events = await().atMost(CRAWL)
                .until(() -> eventsOf(jobId), list -> list.size() >= 4);
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("crawl_finished").asBoolean()).isTrue());
        Map<String, JsonNode> byUrl = new HashMap<>();
        for (ConsumerRecord<String, String> event : events) {
            JsonNode value = json.readTree(event.value());
            byUrl.put(value.get("url").asString(), value);
        }
        // / is indexed, /about only embedded; /shipping and /returns never hear back from the pipeline
        publishIndexed(jobId, site.url("/"), byUrl.get(site.url("/")).get("content_hash").asString(), PageIndexed.INDEXED);
        publishEmbedded(jobId, site.url("/about"), byUrl, null);
        await().atMost(CRAWL).untilAsserted(() -> {
            JsonNode j = job(jobId);
            assertThat(j.get("pages_indexed").asInt()).isEqualTo(1);
            assertThat(j.get("pages_embedded").asInt()).isEqualTo(1);
        });

        clock.advance(Duration.ofMinutes(14));
        assertThat(sweeper.sweep()).isEmpty();
        assertThat(job(jobId).get("status").asString()).isEqualTo("running");

        clock.advance(Duration.ofMinutes(2));
        assertThat(sweeper.sweep()).containsExactly(UUID.fromString(jobId));
        JsonNode done = job(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("pages_indexed").asInt()).isEqualTo(1);
        assertThat(done.get("pages_failed").asInt()).isEqualTo(3);
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(db.sql("SELECT DISTINCT error FROM job_pages WHERE job_id = :job AND state = 'failed'")
                .bind("job", UUID.fromString(jobId)).map(r -> r.get("error", String.class)).all().collectList().block())
                .containsExactly("no outcome from the indexing pipeline within PT15M");

        assertThat(sweeper.sweep()).isEmpty();
    }

    @Test
    void aPageThatCannotBeStoredFailsUnderItsCanonicalUrlAndTheJobStillCompletes() throws Exception {
        // /returns names /returns-policy as its canonical URL, and storing that page fails
        site.add("/returns", "text/html", """
                <!doctype html>
                <html><head><title>Returns</title><link rel="canonical" href="/returns-policy"></head>
                <body><main><h1>Returns</h1><p>Return unused items within 30 days.</p></main></body></html>
                """);
        db.sql("""
                CREATE OR REPLACE FUNCTION test_refuse_page() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'refused by the test';
                END $$
                """).then().block(Duration.ofSeconds(10));
        db.sql("""
                CREATE TRIGGER test_refuse_page BEFORE INSERT OR UPDATE ON pages
                   FOR EACH ROW WHEN (NEW.url LIKE '%/returns-policy') EXECUTE FUNCTION test_refuse_page()
                """).then().block(Duration.ofSeconds(10));
        try {
            String jobId = startCrawl(TENANT, Map.of("start_url", site.url("/"), "max_pages", 50));
            await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("crawl_finished").asBoolean()).isTrue());

            Map<String, String> outcomes = db.sql("SELECT url, state || ': ' || error AS outcome FROM job_pages "
                            + "WHERE job_id = :job AND state = 'failed'")
                    .bind("job", UUID.fromString(jobId))
                    .map(r -> Map.entry(r.get("url", String.class), r.get("outcome", String.class))).all()
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(10));
            assertThat(outcomes).containsOnlyKeys(site.url("/returns-policy"));
            assertThat(outcomes.get(site.url("/returns-policy"))).startsWith("failed: could not process the page");

            List<ConsumerRecord<String, String>> events = await().atMost(CRAWL)
                    .until(() -> eventsOf(jobId), list -> list.size() >= 3);
            assertThat(urls(events)).containsExactlyInAnyOrder(site.url("/"), site.url("/about"), site.url("/shipping"));
            for (ConsumerRecord<String, String> event : events) {
                JsonNode value = json.readTree(event.value());
                publishIndexed(jobId, value.get("url").asString(), value.get("content_hash").asString(),
                        PageIndexed.INDEXED);
            }
            await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("status").asString()).isEqualTo("completed"));
            assertThat(job(jobId).get("pages_failed").asInt()).isEqualTo(1);
        } finally {
            db.sql("DROP TRIGGER IF EXISTS test_refuse_page ON pages").then().block(Duration.ofSeconds(10));
            db.sql("DROP FUNCTION IF EXISTS test_refuse_page()").then().block(Duration.ofSeconds(10));
        }
    }

    // --- helpers ---

    /** Crawls the shop, reports every page indexed, and waits for the job to complete; returns hashes by URL. */
    private Map<String, String> crawlAndIndexEverything(int pages) throws Exception {
        return crawlAndIndexEverything(pages, Map.of());
    }

    private Map<String, String> crawlAndIndexEverything(int pages, Map<String, Object> extra) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("start_url", site.url("/"), "max_pages", 50));
        body.putAll(extra);
        String jobId = startCrawl(TENANT, body);
        List<ConsumerRecord<String, String>> events = await().atMost(CRAWL)
                .until(() -> eventsOf(jobId), list -> list.size() >= pages);
        Map<String, String> hashes = new HashMap<>();
        for (ConsumerRecord<String, String> event : events) {
            JsonNode value = json.readTree(event.value());
            hashes.put(value.get("url").asString(), value.get("content_hash").asString());
            publishIndexed(jobId, value.get("url").asString(), value.get("content_hash").asString(), PageIndexed.INDEXED);
        }
        await().atMost(CRAWL).untilAsserted(() -> assertThat(job(jobId).get("status").asString()).isEqualTo("completed"));
        return hashes;
    }

    private final List<ConsumerRecord<String, String>> removedSeen = new ArrayList<>();

    private List<ConsumerRecord<String, String>> removedEvents() {
        removed.poll(Duration.ofMillis(300)).forEach(removedSeen::add);
        return List.copyOf(removedSeen);
    }

    private List<String> storedUrls() {
        return db.sql("SELECT url FROM pages WHERE tenant_id = :tenant").bind("tenant", TENANT)
                .map(r -> r.get("url", String.class)).all().collectList().block(Duration.ofSeconds(10));
    }

    /** The tenant's job ids, newest first, through the API. */
    private List<String> jobIds() {
        byte[] body = http.get().uri("/api/scrape").header("X-Tenant-Id", TENANT)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        List<String> ids = new ArrayList<>();
        json.readTree(body).get("jobs").forEach(j -> ids.add(j.get("job_id").asString()));
        return ids;
    }

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
        return insertJob(tenant, status, Instant.now());
    }

    private UUID insertJob(String tenant, String status, Instant createdAt) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        INSERT INTO scrape_jobs (id, tenant_id, domain, start_url, max_pages, status, created_at)
                        VALUES (:id, :tenant, 'shop.example', :startUrl, 10, :status, :createdAt)
                        """)
                .bind("id", id).bind("tenant", tenant).bind("status", status)
                .bind("startUrl", "https://shop.example/" + id).bind("createdAt", createdAt)
                .then().block(Duration.ofSeconds(10));
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
                "all-minilm-l6-v2-q", 3, chunks, error, Instant.now(), null);
        send(Topics.CHUNKS_EMBEDDED.name(), url, json.writeValueAsString(event));
    }

    private void publishTenant(String tenant, String status, Instant updatedAt, String changed) throws Exception {
        var event = new TenantUpdated(tenant, "shop.example", "Shop", status, true, List.of("https://shop.example"),
                "standard", null, List.of(changed), updatedAt);
        kafka.send(new ProducerRecord<>(Topics.TENANT_UPDATED.name(), tenant, json.writeValueAsString(event))).get();
    }

    private String tenantStatus(String tenant) {
        return db.sql("SELECT status FROM tenant_statuses WHERE tenant_id = :tenant").bind("tenant", tenant)
                .map(r -> r.get("status", String.class)).one().block(Duration.ofSeconds(10));
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
