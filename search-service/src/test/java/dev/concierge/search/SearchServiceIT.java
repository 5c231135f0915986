package dev.concierge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.contracts.ProductChanged;
import dev.concierge.contracts.PageRemoved;
import dev.concierge.contracts.Topics;
import dev.concierge.search.embedding.QueryEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real Kafka (embedded KRaft broker) and real PostgreSQL with pgvector (database concierge_search_test). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "PG_DATABASE=concierge_search_test"})
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
class SearchServiceIT {

    static final String SHOP = "tenant-shop";
    static final EmbeddingModelId MINILM = EmbeddingModelId.MINILM_L6_V2_Q;
    static final EmbeddingModelId OPENAI_SMALL = EmbeddingModelId.OPENAI_TEXT_EMBEDDING_3_SMALL;
    static final String OTHER = "tenant-other";

    @Autowired WebTestClient web;
    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired EmbeddedKafkaBroker broker;
    @Autowired JsonMapper json;
    @Autowired QueryEmbedder embedder;

    static final FakeOpenAiEmbeddingServer OPENAI;

    static {
        try {
            OPENAI = new FakeOpenAiEmbeddingServer();
            // shared by this class and SearchServiceHnswIT (and their cached contexts): stopped with the JVM
            Runtime.getRuntime().addShutdownHook(new Thread(OPENAI::close));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @org.springframework.test.context.DynamicPropertySource
    static void openAi(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("concierge.embedding.openai.api-key", () -> "sk-test");
        registry.add("concierge.embedding.openai.base-url", OPENAI::baseUrl);
    }

    @Autowired DatabaseClient db;

    Consumer<String, String> consumer;
    final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        db.sql("truncate chunks, pages, removed_pages, product_documents").then().block();
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "it-" + System.nanoTime(), false);
        props.put("auto.offset.reset", "latest");
        consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.PAGE_INDEXED.name(), Topics.CHUNKS_EMBEDDED.deadLetter()));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
    }

    @AfterEach
    void tearDown() {
        consumer.close();
    }

    @Test
    void indexesPagesAndFindsTheAnsweringPageFirstForItsTenantOnly() {
        index(SHOP, "http://shop/returns/", "Returns", "You may return unused items within 30 days for a full refund.");
        index(SHOP, "http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.");
        index(SHOP, "http://shop/workshop/", "Workshop", "A basic bike service in our workshop costs 59 euros.");
        index(OTHER, "http://other/returns/", "Returns", "Returns are accepted within 14 days only.");

        JsonNode results = search(SHOP, "how many days do I have to send something back?", 5);
        assertThat(results.get(0).get("url").asString()).isEqualTo("http://shop/returns/");
        assertThat(results.get(0).get("score").asDouble()).isBetween(0.3, 1.0);
        assertThat(results.get(0).get("snippet").asString()).contains("30 days");
        assertThat(results.findValuesAsString("url")).allMatch(u -> u.startsWith("http://shop/"));

        JsonNode other = search(OTHER, "return window", 5);
        assertThat(other.findValuesAsString("url")).containsExactly("http://other/returns/");
    }

    @Test
    void fullTextFindsExactTermsTheVectorAlsoRanks() {
        index(SHOP, "http://shop/pump/", "Trail floor pump", "The Trail floor pump, SKU CS-PUMP-01, has a gauge and reaches 11 bar.");
        index(SHOP, "http://shop/lights/", "Lights", "Our rechargeable lights last eight hours.");

        JsonNode results = search(SHOP, "CS-PUMP-01", 5);
        assertThat(results.get(0).get("url").asString()).isEqualTo("http://shop/pump/");
        assertThat(results.get(0).get("retrievers").toString()).contains("full_text").contains("vector");
    }

    @Test
    void reindexingAPageReplacesItsChunks() {
        index(SHOP, "http://shop/faq/", "FAQ", "Gift cards are valid for one year.");
        index(SHOP, "http://shop/faq/", "FAQ", "Gift cards are valid for three years.");

        assertThat(db.sql("select count(*) from chunks where url = 'http://shop/faq/'").map(r -> r.get(0, Long.class)).one().block())
                .isEqualTo(1L);
        assertThat(search(SHOP, "how long is a gift card valid", 5).get(0).get("snippet").asString()).contains("three years");
    }

    @Test
    void aRemovedPageLeavesTheIndex() throws Exception {
        index(SHOP, "http://shop/old-pump/", "Old pump", "The Classic pump is discontinued but still sold here.");
        index(SHOP, "http://shop/lights/", "Lights", "Our rechargeable lights last eight hours.");

        kafka.send(Topics.PAGE_REMOVED.name(), EventKeys.page(SHOP, "http://shop/old-pump/"), json.writeValueAsString(
                new PageRemoved(SHOP, "job-2", "http://shop/old-pump/", PageRemoved.GONE, Instant.now()))).get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(search(SHOP, "classic pump", 5).findValuesAsString("url")).doesNotContain("http://shop/old-pump/"));
        assertThat(db.sql("select count(*) from pages where url = 'http://shop/old-pump/'").map(r -> r.get(0, Long.class)).one().block())
                .isZero();
    }

    @Test
    void chunksEmbeddedBeforeARemovalDoNotBringThePageBackButALaterEmbeddingDoes() throws Exception {
        String url = "http://shop/old-pump/";
        String title = "Old pump";
        String text = "The Classic pump is discontinued but still sold here.";
        Instant embedded = Instant.now().minus(Duration.ofMinutes(10));
        Instant removedAt = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MICROS);
        assertThat(index(SHOP, url, title, text, embedded).status()).isEqualTo(PageIndexed.INDEXED);
        index(SHOP, "http://shop/lights/", "Lights", "Our rechargeable lights last eight hours.");
        remove(url, removedAt);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("pages", url) == 0);

        // the same version arrives again after the removal (re-delivery, lag): it stays out, and the job settles
        PageIndexed late = index(SHOP, url, title, text, embedded.plusSeconds(60));
        assertThat(late.status()).isEqualTo(PageIndexed.FAILED);
        assertThat(late.error()).isEqualTo("page was removed at " + removedAt);
        assertThat(late.jobId()).isEqualTo("job-1");
        assertThat(count("pages", url)).isZero();
        assertThat(count("chunks", url)).isZero();
        assertThat(search(SHOP, "classic pump", 5).findValuesAsString("url")).doesNotContain(url);

        // a later crawl found it again and it was embedded after the removal: it is back
        assertThat(index(SHOP, url, title, text, Instant.now()).status()).isEqualTo(PageIndexed.INDEXED);
        assertThat(search(SHOP, "classic pump", 5).findValuesAsString("url")).contains(url);
        assertThat(count("removed_pages", url)).isZero();

        // the old removal delivered again is older than the version indexed now: the page stays
        remove(url, removedAt);
        remove("http://shop/lights/", Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("pages", "http://shop/lights/") == 0);
        assertThat(count("pages", url)).isEqualTo(1);
        assertThat(search(SHOP, "classic pump", 5).findValuesAsString("url")).contains(url);
    }

    @Test
    void statsDescribeTheTenantsIndexOnly() {
        index(SHOP, "http://shop/a/", "A", "First page about bikes. It has two sentences.");
        index(SHOP, "http://shop/b/", "B", "Second page about lights.");
        index(OTHER, "http://other/a/", "A", "Other tenant page.");

        web.get().uri("/api/search/stats?domain=shop.example").header("X-Tenant-Id", SHOP)
                .header("X-Tenant-Domain", "shop.example").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.domain").isEqualTo("shop.example")
                .jsonPath("$.pages").isEqualTo(2)
                .jsonPath("$.chunks").isEqualTo(2)
                .jsonPath("$.model").isEqualTo(MINILM.name())
                .jsonPath("$.dimension").isEqualTo(384)
                .jsonPath("$.last_indexed_at").isNotEmpty()
                .jsonPath("$.models.length()").isEqualTo(1)
                .jsonPath("$.configured_model").isEqualTo(MINILM.name());
    }

    /**
     * A model switch re-embeds page by page through the pipeline; at every step each page is found with a
     * query vector of its own model, nothing compares vectors of two models, and the stats show the switch.
     */
    @Test
    void switchingTheEmbeddingModelKeepsSearchWorkingPageByPage() {
        index(SHOP, "http://shop/returns/", "Returns", "You may return unused items within 30 days for a full refund.");
        index(SHOP, "http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.");
        index(SHOP, "http://shop/workshop/", "Workshop", "A basic bike service in our workshop costs 59 euros.");

        // half-way: returns re-embedded with the new (1536-d) model, the others still on MiniLM
        assertThat(index(SHOP, "http://shop/returns/", "Returns", "You may return unused items within 30 days for a full refund.",
                Instant.now(), OPENAI_SMALL).status()).isEqualTo(PageIndexed.INDEXED);
        assertThat(search(SHOP, "how many days do I have to send something back?", 3).get(0).get("url").asString())
                .isEqualTo("http://shop/returns/");
        assertThat(search(SHOP, "what does a bike service cost", 3).get(0).get("url").asString())
                .isEqualTo("http://shop/workshop/");
        web.get().uri("/api/search/stats").header("X-Tenant-Id", SHOP).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.pages").isEqualTo(3)
                .jsonPath("$.models.length()").isEqualTo(2)
                .jsonPath("$.models[?(@.model == 'text-embedding-3-small')].dimension").isEqualTo(1536);

        index(SHOP, "http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.", Instant.now(), OPENAI_SMALL);
        index(SHOP, "http://shop/workshop/", "Workshop", "A basic bike service in our workshop costs 59 euros.", Instant.now(), OPENAI_SMALL);
        assertThat(search(SHOP, "do you ship for free", 3).get(0).get("url").asString()).isEqualTo("http://shop/shipping/");
        assertThat(db.sql("select count(*) from chunks where tenant_id = :t and model = :m").bind("t", SHOP)
                .bind("m", MINILM.name()).map(r -> r.get(0, Long.class)).one().block()).isZero();
        web.get().uri("/api/search/stats").header("X-Tenant-Id", SHOP).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.model").isEqualTo(OPENAI_SMALL.name())
                .jsonPath("$.models.length()").isEqualTo(1);
    }

    @Test
    void aVectorWhoseDimensionDoesNotMatchItsModelIsRefused() {
        float[] wrong = OPENAI.embed("Gift cards are valid for one year.");
        send(new ChunksEmbedded(SHOP, "job-1", "http://shop/gift/", "Gift", "h", MINILM.name(), 1536,
                List.of(new ChunksEmbedded.Chunk(0, "Gift", "Gift cards are valid for one year.", wrong)), null,
                Instant.now(), Instant.now()));
        PageIndexed outcome = awaitOutcome("http://shop/gift/");
        assertThat(outcome.status()).isEqualTo(PageIndexed.FAILED);
        assertThat(outcome.error()).contains("1536");
        assertThat(count("chunks", "http://shop/gift/")).isZero();
    }

    @Test
    void fullTextSearchStemsInThePagesLanguage() {
        String text = "Unsere Fahrräder werden in der eigenen Werkstatt gewartet.";
        indexInLanguage(SHOP, "http://shop/de/werkstatt/", "Werkstatt", text, "de-DE");
        indexInLanguage(OTHER, "http://other/werkstatt/", "Werkstatt", text, null);

        JsonNode german = json.readTree(web.get().uri("/api/search?q=Fahrrad&mode=full_text")
                .header("X-Tenant-Id", SHOP).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(german.get("results").findValuesAsString("url")).containsExactly("http://shop/de/werkstatt/");
        // the same text without a language is stemmed as English, where "Fahrräder" is not a form of "Fahrrad"
        JsonNode english = json.readTree(web.get().uri("/api/search?q=Fahrrad&mode=full_text")
                .header("X-Tenant-Id", OTHER).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(english.get("results").findValuesAsString("url")).isEmpty();
    }

    @Test
    void eachRetrieverCanBeAskedAlone() {
        index(SHOP, "http://shop/pump/", "Trail floor pump", "The Trail floor pump, SKU CS-PUMP-01, reaches 11 bar.");
        index(SHOP, "http://shop/lights/", "Lights", "Our rechargeable lights last eight hours.");

        JsonNode vector = json.readTree(web.get().uri("/api/search?q=how+long+do+lamps+shine&mode=vector")
                .header("X-Tenant-Id", SHOP).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(vector.get("results").get(0).get("retrievers").toString()).isEqualTo("[\"vector\"]");
        JsonNode text = json.readTree(web.get().uri("/api/search?q=CS-PUMP-01&mode=full_text")
                .header("X-Tenant-Id", SHOP).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(text.get("results").findValuesAsString("url")).containsExactly("http://shop/pump/");
        web.get().uri("/api/search?q=x&mode=psychic").header("X-Tenant-Id", SHOP).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("mode");
    }

    @Test
    void aFailedEmbeddingIsReportedAsAFailedPage() {
        var event = new ChunksEmbedded(SHOP, "job-x", "http://shop/empty/", "", "h", MINILM.name(), 384, List.of(),
                "the page has no text to index", Instant.now(), null);
        send(event);
        PageIndexed outcome = awaitOutcome("http://shop/empty/");
        assertThat(outcome.status()).isEqualTo(PageIndexed.FAILED);
        assertThat(outcome.error()).contains("no text");
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopic() throws Exception {
        kafka.send(Topics.CHUNKS_EMBEDDED.name(), "bad", "{\"tenant_id\": 1, \"oops\"").get();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().anyMatch(r -> r.topic().equals(Topics.CHUNKS_EMBEDDED.deadLetter()));
        });
    }

    @Test
    void storeProductsAreIndexedFromProductEventsAndLeaveWhenDeleted() {
        index(SHOP, "http://shop/about/", "About us", "We are a family-run bike shop in Utrecht since 1987.");
        ProductChanged.Snapshot pump = new ProductChanged.Snapshot("Trail floor pump", "CS-PU-TRK", "44.95", "EUR",
                "instock", 7, "http://shop/products/trail-pump/", List.of("Pumps"),
                "A steel floor pump with a gauge that reaches 11 bar.", List.of());
        productChanged(new ProductChanged(SHOP, 799, ProductChanged.CREATED, pump, Instant.now()));

        String doc = "http://shop/products/trail-pump/#product-data";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(search(SHOP, "floor pump that reaches 11 bar", 3).get(0).get("url").asString()).isEqualTo(doc));
        JsonNode hit = search(SHOP, "CS-PU-TRK", 3).get(0);
        assertThat(hit.get("url").asString()).isEqualTo(doc);
        assertThat(hit.get("snippet").asString()).contains("EUR 44.95").contains("In stock");
        assertThat(search(OTHER, "floor pump", 3).findValuesAsString("url")).doesNotContain(doc);

        // a new permalink moves the document; a deletion removes it
        ProductChanged.Snapshot moved = new ProductChanged.Snapshot("Trail floor pump", "CS-PU-TRK", "39.95", "EUR",
                "outofstock", 0, "http://shop/products/trail-floor-pump/", List.of("Pumps"), "Reaches 11 bar.", List.of());
        productChanged(new ProductChanged(SHOP, 799, ProductChanged.UPDATED, moved, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(search(SHOP, "floor pump", 5).findValuesAsString("url"))
                .contains("http://shop/products/trail-floor-pump/#product-data").doesNotContain(doc));
        productChanged(new ProductChanged(SHOP, 799, ProductChanged.DELETED, null, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(db.sql(
                        "select count(*) from chunks where tenant_id = :t and url like '%#product-data'").bind("t", SHOP)
                .map(r -> r.get(0, Long.class)).one().block()).isZero());
    }

    private void productChanged(ProductChanged event) {
        kafka.send(Topics.PRODUCT_CHANGED.name(), event.eventKey(), json.writeValueAsString(event)).join();
    }

    @Test
    void badQueriesAreProblemsNamingTheField() {
        web.get().uri("/api/search?q=&domain=shop").header("X-Tenant-Id", SHOP).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("q");
        web.get().uri("/api/search?q=bike&limit=abc").header("X-Tenant-Id", SHOP).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
        web.get().uri("/api/search?q=bike").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("domain");
    }

    private void index(String tenant, String url, String title, String text) {
        assertThat(index(tenant, url, title, text, Instant.now()).status()).isEqualTo(PageIndexed.INDEXED);
    }

    private PageIndexed index(String tenant, String url, String title, String text, Instant embeddedAt) {
        return index(tenant, url, title, text, embeddedAt, MINILM);
    }

    /** Indexes the page as the embedding-worker would with {@code model}: the search-service's own embedder. */
    private PageIndexed index(String tenant, String url, String title, String text, Instant embeddedAt, EmbeddingModelId model) {
        float[] vector = embedder.embed(model, title + ". " + text).block();
        send(new ChunksEmbedded(tenant, "job-1", url, title, EventKeys.sha256(text), model.name(), model.dimension(),
                List.of(new ChunksEmbedded.Chunk(0, title, text, vector)), null, embeddedAt, embeddedAt));
        return awaitOutcome(url);
    }

    private void indexInLanguage(String tenant, String url, String title, String text, String language) {
        float[] vector = embedder.embed(MINILM, title + ". " + text).block();
        send(new ChunksEmbedded(tenant, "job-1", url, title, EventKeys.sha256(text), MINILM.name(), MINILM.dimension(),
                List.of(new ChunksEmbedded.Chunk(0, title, text, vector)), null, Instant.now(), Instant.now(), language));
        assertThat(awaitOutcome(url).status()).isEqualTo(PageIndexed.INDEXED);
    }

    private void remove(String url, Instant removedAt) throws Exception {
        kafka.send(Topics.PAGE_REMOVED.name(), EventKeys.page(SHOP, url), json.writeValueAsString(
                new PageRemoved(SHOP, "job-2", url, PageRemoved.UNLINKED, removedAt))).get();
    }

    private long count(String table, String url) {
        return db.sql("select count(*) from " + table + " where tenant_id = :tenant and url = :url")
                .bind("tenant", SHOP).bind("url", url).map(r -> r.get(0, Long.class)).one().block();
    }

    private void send(ChunksEmbedded event) {
        seen.clear();
        try {
            kafka.send(Topics.CHUNKS_EMBEDDED.name(), EventKeys.page(event.tenantId(), event.url()), json.writeValueAsString(event)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private PageIndexed awaitOutcome(String url) {
        List<PageIndexed> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.topic().equals(Topics.PAGE_INDEXED.name())) {
                    PageIndexed p = json.readValue(r.value(), PageIndexed.class);
                    if (p.url().equals(url)) {
                        found.add(p);
                    }
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private JsonNode search(String tenant, String q, int limit) {
        byte[] body = web.get().uri(b -> b.path("/api/search").queryParam("q", q).queryParam("limit", limit).build())
                .header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return json.readTree(body).get("results");
    }
}
