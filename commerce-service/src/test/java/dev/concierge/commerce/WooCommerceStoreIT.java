package dev.concierge.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.commerce.catalog.CatalogSync;
import dev.concierge.commerce.connection.CredentialCipher;
import dev.concierge.commerce.support.FakeWooCommerce;
import dev.concierge.contracts.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * commerce-service against a fake WooCommerce store (real wire format, OAuth 1.0a checked), the real PostgreSQL
 * (concierge_commerce_test) and a real embedded KRaft Kafka broker. Each test is its own tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "PG_DATABASE=concierge_commerce_test", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "COMMERCE_ENCRYPTION_KEY=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "COMMERCE_ALLOW_PRIVATE_HOSTS=true",
        "COMMERCE_STORE_RETRY_BACKOFF=PT0.01S", "COMMERCE_STORE_RETRIES=2", "COMMERCE_STORE_TIMEOUT=PT3S",
        "COMMERCE_PUBLIC_URL=https://concierge.example"})
@AutoConfigureWebTestClient
@org.springframework.kafka.test.context.EmbeddedKafka(partitions = 1)
class WooCommerceStoreIT {

    static FakeWooCommerce fake;
    static Consumer<String, String> consumer;
    static final List<ConsumerRecord<String, String>> events = new CopyOnWriteArrayList<>();

    @Autowired WebTestClient web;
    @Autowired DatabaseClient db;
    @Autowired CredentialCipher cipher;
    @Autowired CatalogSync sync;
    @Autowired org.springframework.context.ApplicationContext context;
    @Value("${spring.embedded.kafka.brokers}") String brokers;

    final JsonMapper json = JsonMapper.builder().build();
    String tenant;

    @BeforeAll
    static void startStore() {
        fake = new FakeWooCommerce();
    }

    @AfterAll
    static void stopStore() {
        fake.close();
        if (consumer != null) {
            consumer.close();
        }
    }

    @BeforeEach
    void setUp() {
        fake.reset();
        tenant = "t-" + UUID.randomUUID();
        web = web.mutate().responseTimeout(Duration.ofSeconds(20)).build();
        if (consumer == null) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(Topics.PRODUCT_CHANGED.name()));
        }
        // a small catalog: a simple product, a variable one, a draft
        fake.put(fake.product(93, "Trail Pump", "CS-PUMP-01", "34.50", 12, "instock", "2026-11-01T10:00:00", "Accessories", "Pumps"));
        fake.putVariable(fake.product(120, "City Helmet", "CS-HELM", "49.00", null, "instock", "2026-11-01T10:00:00", "Helmets"),
                List.of(fake.variation(121, "CS-HELM-M", "Size", "M", "49.00", 4, "instock"),
                        fake.variation(122, "CS-HELM-L", "Size", "L", "49.00", 0, "outofstock")));
        ObjectNode draft = fake.product(130, "Secret Prototype Pump", "CS-PROTO", "99.00", 1, "instock", "2026-11-01T10:00:00");
        draft.put("status", "draft");
        fake.put(draft);
    }

    // ---- connecting --------------------------------------------------------------------------------------------

    @Test
    void connectingStoresTheKeysEncryptedAndSyncsTheCatalog() {
        String body = connect();
        assertThat(body).doesNotContain(fake.consumerKey).doesNotContain(fake.consumerSecret);

        Map<String, Object> row = db.sql("select * from store_connections where tenant_id = :t").bind("t", tenant)
                .fetch().one().block();
        assertThat(row.toString()).doesNotContain(fake.consumerKey).doesNotContain(fake.consumerSecret)
                .doesNotContain("ck_").doesNotContain("cs_");
        assertThat(cipher.open((String) row.get("consumer_secret_enc"), tenant, "consumer_secret")).isEqualTo(fake.consumerSecret);
        assertThat(cipher.open((String) row.get("consumer_key_enc"), tenant, "consumer_key")).isEqualTo(fake.consumerKey);

        JsonNode report = awaitSync(json.readTree(body).get("sync_id").asString());
        assertThat(report.get("mode").asString()).isEqualTo("full");
        assertThat(report.get("created").asInt()).isEqualTo(3);
        assertThat(report.get("rejected").asInt()).isZero();

        String status = get("/api/commerce/connection").expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        JsonNode connection = json.readTree(status);
        assertThat(connection.get("connected").asBoolean()).isTrue();
        assertThat(connection.get("status").asString()).isEqualTo("connected");
        assertThat(connection.get("currency").asString()).isEqualTo("EUR");
        assertThat(connection.get("last_sync_at").isNull()).isFalse();
        assertThat(status).doesNotContain(fake.consumerKey).doesNotContain(fake.consumerSecret).doesNotContain("_enc");
        // over plain http every request was OAuth 1.0a signed (the fake verifies it), never Basic
        assertThat(fake.requests).allSatisfy(r -> assertThat(r.query()).containsKey("oauth_signature"));
    }

    @Test
    void productChangedEventsAreReadBackFromKafka() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());

        List<ConsumerRecord<String, String>> mine = awaitEvents(3);
        assertThat(mine).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(tenant + ":93", tenant + ":120", tenant + ":130");
        ConsumerRecord<String, String> pump = mine.stream().filter(r -> r.key().endsWith(":93")).findFirst().orElseThrow();
        JsonNode event = json.readTree(pump.value());
        assertThat(event.get("change").asString()).isEqualTo("created");
        assertThat(event.get("tenant_id").asString()).isEqualTo(tenant);
        assertThat(event.get("product").get("price").asString()).isEqualTo("34.50");
        assertThat(event.get("product").get("currency").asString()).isEqualTo("EUR");
        assertThat(event.get("product").get("short_description").asString()).isEqualTo("The Trail Pump & friends.");
        assertThat(new String(pump.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("dev.concierge.commerce.product-changed.v1");
        JsonNode helmet = json.readTree(mine.stream().filter(r -> r.key().endsWith(":120")).findFirst().orElseThrow().value());
        assertThat(helmet.get("product").get("variations")).hasSize(2);
        assertThat(helmet.get("product").get("variations").get(0).get("attributes").get(0).get("option").asString()).isEqualTo("M");

        // a second full sync of an unchanged store publishes nothing
        JsonNode again = awaitSync(startSync("full"));
        assertThat(again.get("unchanged").asInt()).isEqualTo(3);
        assertThat(again.get("created").asInt() + again.get("updated").asInt()).isZero();
        assertThat(collect()).filteredOn(r -> r.key().startsWith(tenant + ":")).hasSize(3);
    }

    @Test
    void aFailedConnectionTestSaysWhyAndSavesNothing() throws Exception {
        assertConnectFails(fake.url(), fake.consumerKey, "cs_notthesecretatall", "unauthorized");
        fake.mode = FakeWooCommerce.Mode.NOT_WOOCOMMERCE;
        assertConnectFails(fake.url(), fake.consumerKey, fake.consumerSecret, "not_woocommerce");
        fake.mode = FakeWooCommerce.Mode.HTML_HOMEPAGE;
        assertConnectFails(fake.url(), fake.consumerKey, fake.consumerSecret, "not_woocommerce");
        fake.mode = FakeWooCommerce.Mode.REDIRECT_TO_HTTPS;
        assertConnectFails(fake.url(), fake.consumerKey, fake.consumerSecret, "https_required");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertConnectFails("http://127.0.0.1:" + closedPort, fake.consumerKey, fake.consumerSecret, "unreachable");
        fake.mode = FakeWooCommerce.Mode.SLOW; // slower than COMMERCE_STORE_TIMEOUT (3 s here)
        fake.slowBy = Duration.ofSeconds(5);
        assertConnectFails(fake.url(), fake.consumerKey, fake.consumerSecret, "timeout");
        fake.mode = FakeWooCommerce.Mode.WOOCOMMERCE;

        get("/api/commerce/connection").expectBody().jsonPath("$.status").isEqualTo("not_connected");
    }

    @Test
    void connectionInputIsValidatedNamingTheField() {
        putConnection("{\"platform\":\"shopify\",\"store_url\":\"https://a.example\",\"consumer_key\":\"ck_12345678\",\"consumer_secret\":\"cs_12345678\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("platform");
        putConnection("{\"platform\":\"woocommerce\",\"store_url\":\"ftp://a.example\",\"consumer_key\":\"ck_12345678\",\"consumer_secret\":\"cs_12345678\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("store_url");
        putConnection("{\"platform\":\"woocommerce\",\"store_url\":\"https://a.example\",\"consumer_key\":\"nope\",\"consumer_secret\":\"cs_12345678\"}")
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("consumer_key");
        putConnection("{\"platform\":\"woocommerce\",\"store_url\":\"https://a.example\",\"consumer_key\":\"ck_12345678\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("consumer_secret");
    }

    @Test
    void disconnectingForgetsTheStoreAndItsCatalog() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        web.delete().uri("/api/commerce/connection").header("X-Tenant-Id", tenant).exchange().expectStatus().isNoContent();
        get("/api/commerce/connection").expectBody().jsonPath("$.connected").isEqualTo(false);
        get("/api/commerce/products?q=pump").expectStatus().isEqualTo(409);
        assertThat(db.sql("select count(*) as n from products where tenant_id = :t").bind("t", tenant)
                .map(r -> r.get("n", Long.class)).one().block()).isZero();
    }

    // ---- syncing -----------------------------------------------------------------------------------------------

    @Test
    void theImportReportListsRejectedProductsWithReasons() {
        fake.put(fake.product(201, "", "NONAME", "5.00", 1, "instock", "2026-11-01T10:00:00"));
        fake.put(fake.product(202, "Bell", "BELL", "five", 1, "instock", "2026-11-01T10:00:00"));
        fake.put(fake.product(203, "Lock", "LOCK", "15.00", -2, "instock", "2026-11-01T10:00:00"));

        JsonNode report = awaitSync(json.readTree(connect()).get("sync_id").asString());

        assertThat(report.get("created").asInt()).isEqualTo(3);
        assertThat(report.get("rejected").asInt()).isEqualTo(3);
        Map<Long, String> reasons = new java.util.HashMap<>();
        report.get("rejections").forEach(r -> reasons.put(r.get("product_id").asLong(), r.get("reasons").toString()));
        assertThat(reasons.get(201L)).contains("name: missing");
        assertThat(reasons.get(202L)).contains("price: unparseable price 'five'");
        assertThat(reasons.get(203L)).contains("negative stock (-2)");
        get("/api/commerce/products/BELL").expectStatus().isNotFound();
    }

    @Test
    void incrementalSyncFetchesAndChangesOnlyModifiedProducts() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        int before = awaitEvents(3).size();
        ObjectNode pump = fake.products.get(93L);
        pump.put("price", "29.90").put("regular_price", "34.50").put("sale_price", "29.90")
                .put("date_modified_gmt", "2999-01-01T00:00:00");
        fake.requests.clear();

        JsonNode report = awaitSync(startSync("incremental"));

        assertThat(report.get("mode").asString()).isEqualTo("incremental");
        assertThat(report.get("updated").asInt()).isEqualTo(1);
        assertThat(report.get("created").asInt() + report.get("unchanged").asInt() + report.get("deleted").asInt()).isZero();
        FakeWooCommerce.Request list = fake.requests("GET", "/products").get(0);
        assertThat(list.query()).containsKey("modified_after").containsEntry("dates_are_gmt", "true");
        assertThat(fake.requests("GET", "/products/120/variations")).isEmpty(); // the unchanged helmet was not fetched
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(collectMine()).hasSize(before + 1));
        JsonNode event = json.readTree(collectMine().get(before).value());
        assertThat(event.get("change").asString()).isEqualTo("updated");
        assertThat(event.get("product").get("price").asString()).isEqualTo("29.90");
        get("/api/commerce/products/CS-PUMP-01").expectBody().jsonPath("$.price").isEqualTo("29.90")
                .jsonPath("$.sale_price").isEqualTo("29.90").jsonPath("$.regular_price").isEqualTo("34.50");
    }

    @Test
    void productsGoneFromTheStoreOrTrashedAreDeleted() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.products.remove(120L);
        JsonNode full = awaitSync(startSync("full"));
        assertThat(full.get("deleted").asInt()).isEqualTo(1);
        get("/api/commerce/products/120").expectStatus().isNotFound();

        fake.products.get(93L).put("status", "trash").put("date_modified_gmt", "2999-01-01T00:00:00");
        JsonNode incremental = awaitSync(startSync("incremental"));
        assertThat(incremental.get("deleted").asInt()).isEqualTo(1);
        get("/api/commerce/products/93").expectStatus().isNotFound();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(collectMine())
                .filteredOn(r -> json.readTree(r.value()).get("change").asString().equals("deleted"))
                .extracting(ConsumerRecord::key).containsExactlyInAnyOrder(tenant + ":120", tenant + ":93"));
        assertThat(collectMine()).filteredOn(r -> r.value().contains("\"deleted\""))
                .allSatisfy(r -> assertThat(json.readTree(r.value()).get("product").isNull()).isTrue());
    }

    @Test
    void oneSyncPerStoreRunsAcrossInstancesAndTheOtherIsToldWhichOne() throws Exception {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        // a second commerce-service instance: its own CatalogSync (own in-memory state), the same database
        CatalogSync otherInstance = context.getAutowireCapableBeanFactory().createBean(CatalogSync.class);
        fake.mode = FakeWooCommerce.Mode.SLOW; // every store call takes a while: the sync is still running below
        fake.slowBy = Duration.ofMillis(700);

        List<Object> started = burst(2, i -> {
            try {
                return (i == 0 ? sync : otherInstance).start(tenant, "full").block(Duration.ofSeconds(10));
            } catch (CatalogSync.AlreadyRunning e) {
                return e;
            }
        });

        assertThat(started).filteredOn(UUID.class::isInstance).hasSize(1);
        UUID runningId = (UUID) started.stream().filter(UUID.class::isInstance).findFirst().orElseThrow();
        assertThat(started).filteredOn(CatalogSync.AlreadyRunning.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((CatalogSync.AlreadyRunning) e).syncId).isEqualTo(runningId));
        // and through the API, whichever instance runs it: 409 naming the running sync
        web.post().uri("/api/commerce/sync").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isEqualTo(409).expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://concierge.dev/problems/sync-running")
                .jsonPath("$.sync_id").isEqualTo(runningId.toString());
        fake.mode = FakeWooCommerce.Mode.WOOCOMMERCE;
        awaitSync(runningId.toString());
        awaitSync(startSync("incremental")); // finished: the store is free again
    }

    @Test
    void aSyncWhoseInstanceStoppedRenewingItsLeaseDoesNotBlockTheStore() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        UUID crashed = UUID.randomUUID();
        db.sql("""
                        insert into sync_runs (id, tenant_id, mode, status, started_at, lease_until)
                        values (:id, :t, 'full', 'running', now() - interval '1 hour', now() - interval '1 minute')""")
                .bind("id", crashed).bind("t", tenant).then().block();

        awaitSync(startSync("full"));

        get("/api/commerce/sync/" + crashed).expectBody().jsonPath("$.status").isEqualTo("failed")
                .jsonPath("$.error").value(e -> assertThat((String) e).startsWith("abandoned"));
        // one whose instance still renews its lease holds the store
        UUID alive = UUID.randomUUID();
        db.sql("""
                        insert into sync_runs (id, tenant_id, mode, status, started_at, lease_until)
                        values (:id, :t, 'full', 'running', now(), now() + interval '1 minute')""")
                .bind("id", alive).bind("t", tenant).then().block();
        web.post().uri("/api/commerce/sync").header("X-Tenant-Id", tenant).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.sync_id").isEqualTo(alive.toString());
        db.sql("update sync_runs set status = 'failed' where id = :id").bind("id", alive).then().block();
    }

    @Test
    void eachPageOfASyncIsWrittenInOneTransaction() {
        for (int i = 0; i < 150; i++) { // with the 3 of setUp: two pages of per_page=100
            fake.put(fake.product(1000 + i, "Bulk Item " + i, "BULK-" + i, "5.00", 1, "instock", "2026-11-01T10:00:00"));
        }

        JsonNode report = awaitSync(json.readTree(connect()).get("sync_id").asString());

        assertThat(report.get("created").asInt()).isEqualTo(153);
        // now() is the transaction's start: one value per page means one transaction per page
        assertThat(db.sql("select count(distinct synced_at) from products where tenant_id = :t").bind("t", tenant)
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(2);
    }

    // ---- tools -------------------------------------------------------------------------------------------------

    @Test
    void theToolsAnswerFromSyncedDataWithFuzzySearch() {
        get("/api/commerce/products?q=pump").expectStatus().isEqualTo(409);
        awaitSync(json.readTree(connect()).get("sync_id").asString());

        assertThat(names("pumps")).containsExactly("Trail Pump"); // plural; the draft prototype pump is not published
        assertThat(names("helmit")).containsExactly("City Helmet"); // typo
        assertThat(names("is the trail pump in stock?")).first().isEqualTo("Trail Pump");
        assertThat(names("CS-PUMP-01")).containsExactly("Trail Pump"); // exact SKU
        assertThat(names("HELM-L")).containsExactly("City Helmet"); // partial SKU
        assertThat(names("accessories")).containsExactly("Trail Pump"); // category
        assertThat(names("what do you have?")).isEmpty();

        String search = get("/api/commerce/products?q=pumps&limit=3").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        JsonNode p = json.readTree(search).get("products").get(0);
        assertThat(p.get("id").asLong()).isEqualTo(93);
        assertThat(p.get("sku").asString()).isEqualTo("CS-PUMP-01");
        assertThat(p.get("type").asString()).isEqualTo("simple");
        assertThat(p.get("price").asString()).isEqualTo("34.50");
        assertThat(p.get("regular_price").asString()).isEqualTo("34.50");
        assertThat(p.get("sale_price").isNull()).isTrue();
        assertThat(p.get("currency").asString()).isEqualTo("EUR");
        assertThat(p.get("stock_status").asString()).isEqualTo("instock");
        assertThat(p.get("stock_quantity").asInt()).isEqualTo(12);
        assertThat(p.get("permalink").asString()).endsWith("/product/trail-pump/");
        assertThat(p.get("categories").toString()).isEqualTo("[\"Accessories\",\"Pumps\"]");

        get("/api/commerce/products?q=helmet").expectBody().jsonPath("$.products[0].type").isEqualTo("variable");
        get("/api/commerce/products/CS-HELM-L").expectStatus().isOk().expectBody()
                .jsonPath("$.id").isEqualTo(120)
                .jsonPath("$.type").isEqualTo("variable")
                .jsonPath("$.variations.length()").isEqualTo(2)
                .jsonPath("$.variations[1].sku").isEqualTo("CS-HELM-L")
                .jsonPath("$.variations[1].attributes[0].name").isEqualTo("Size")
                .jsonPath("$.variations[1].attributes[0].option").isEqualTo("L")
                .jsonPath("$.variations[1].stock_status").isEqualTo("outofstock")
                .jsonPath("$.variations[1].stock_quantity").isEqualTo(0)
                .jsonPath("$.variations[1].price").isEqualTo("49.00");
        get("/api/commerce/products/130").expectStatus().isNotFound(); // draft
        get("/api/commerce/products/NOPE-1").expectStatus().isNotFound().expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://concierge.dev/problems/product-not-found");
    }

    @Test
    void liveStockWinsOverSyncedStockAndSyncedAnswersWhenTheStoreIsDown() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.products.get(93L).put("stock_quantity", 0).put("stock_status", "outofstock");
        fake.variations.get(120L).get(0).put("stock_quantity", 1);

        get("/api/commerce/products/CS-PUMP-01/stock").expectStatus().isOk().expectBody()
                .jsonPath("$.source").isEqualTo("live")
                .jsonPath("$.stock_status").isEqualTo("outofstock")
                .jsonPath("$.stock_quantity").isEqualTo(0)
                .jsonPath("$.checked_at").exists();
        // the synced catalog still says 12, but the answer of every tool is the live value
        get("/api/commerce/products?q=pump").expectBody()
                .jsonPath("$.products[0].stock_status").isEqualTo("outofstock")
                .jsonPath("$.products[0].stock_quantity").isEqualTo(0);
        get("/api/commerce/products/CS-HELM/stock").expectBody()
                .jsonPath("$.source").isEqualTo("live")
                .jsonPath("$.variations[0].stock_quantity").isEqualTo(1);
        // cached: a second read does not ask the store again
        int reads = fake.requests("GET", "/products/93").size();
        get("/api/commerce/products/93/stock").expectBody().jsonPath("$.source").isEqualTo("live");
        assertThat(fake.requests("GET", "/products/93")).hasSize(reads);

        fake.failNext("GET", "/products/120", 100, 500, Map.of());
        fake.failNext("GET", "/products/120/variations", 100, 500, Map.of());
        invalidate(120); // as if the TTL had passed
        get("/api/commerce/products/CS-HELM/stock").expectStatus().isOk().expectBody()
                .jsonPath("$.source").isEqualTo("synced")
                .jsonPath("$.synced_at").exists()
                .jsonPath("$.variations[0].stock_quantity").isEqualTo(4);
    }

    // ---- orders ------------------------------------------------------------------------------------------------

    @Test
    void anOrderIsFoundOnlyWhenNumberAndEmailBothMatchAndEveryMismatchLooksTheSame() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.order(727, "ann@example.com", "completed", "JD014600003SE");
        fake.order(728, "bob@example.com", "processing", null);

        lookup("s1", "#727", "  Ann@Example.COM ").expectStatus().isOk().expectBody()
                .jsonPath("$.order_number").isEqualTo("727")
                .jsonPath("$.status").isEqualTo("completed")
                .jsonPath("$.created_at").isEqualTo("2026-11-20T19:28:02Z")
                .jsonPath("$.items[0].name").isEqualTo("Trail Pump")
                .jsonPath("$.items[0].quantity").isEqualTo(2)
                .jsonPath("$.tracking.carrier").isEqualTo("dhl")
                .jsonPath("$.tracking.number").isEqualTo("JD014600003SE");
        lookup("s1", "728", "bob@example.com").expectStatus().isOk().expectBody().jsonPath("$.tracking").isEmpty();

        String wrongEmail = notFoundBody(lookup("s2", "727", "bob@example.com"));
        String wrongNumber = notFoundBody(lookup("s2", "728", "ann@example.com"));
        long started = System.nanoTime();
        String unknown = notFoundBody(lookup("s2", "999", "ann@example.com"));
        String notANumber = notFoundBody(lookup("s2", "A-727", "ann@example.com"));
        // no store call for a number that is not one, a quick 404 for an unknown one: both still take the floor
        // (COMMERCE_LOOKUP_FAILURE_FLOOR, 0.5 s), as long as a wrong e-mail, so timing does not reveal orders
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2 * 480));
        assertThat(wrongEmail).isEqualTo(wrongNumber).isEqualTo(unknown).isEqualTo(notANumber)
                .doesNotContain("ann@").doesNotContain("bob@").doesNotContain("727");

        // a store that fails is "unavailable", not "not found", and is not counted against the shopper
        fake.failNext("GET", "/orders/727", 100, 500, Map.of());
        lookup("s3", "727", "ann@example.com").expectStatus().isEqualTo(503).expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("https://concierge.dev/problems/store-unavailable");
        assertThat(db.sql("select count(*) from order_lookup_failures where tenant_id = :t and session_id = 's3'")
                .bind("t", tenant).map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void repeatedFailedLookupsOfASessionAreRefusedWithRetryAfter() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.order(727, "ann@example.com", "completed", null);
        for (int i = 0; i < 5; i++) {
            lookup("guesser", Integer.toString(800 + i), "ann@example.com").expectStatus().isNotFound();
        }
        int storeCalls = fake.requests.size();

        lookup("guesser", "727", "ann@example.com").expectStatus().isEqualTo(429)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://concierge.dev/problems/order-lookup-limited");
        assertThat(fake.requests).hasSize(storeCalls); // refused before asking the store
        lookup("someone-else", "727", "ann@example.com").expectStatus().isOk();
    }

    @Test
    void failedLookupsAcrossManySessionsHitTheTenantLimit() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.order(727, "ann@example.com", "completed", null);
        for (int i = 0; i < 50; i++) { // 50 per tenant per window, from sessions each below their own limit of 5
            lookup("session-" + (i / 4), Integer.toString(900 + i), "ann@example.com").expectStatus().isNotFound();
        }
        lookup("a-fresh-session", "727", "ann@example.com").expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
    }

    @Test
    void aParallelBurstOfWrongLookupsFromOneSessionReachesTheStoreOnlyUpToTheSessionLimit() throws Exception {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.orderDelay = Duration.ofMillis(300); // every lookup is still at the store while the others are checked
        fake.requests.clear();

        List<Integer> statuses = burst(20, i -> lookupStatus("burst", Integer.toString(800 + i), "ann@example.com"));

        assertThat(fake.requests).filteredOn(r -> r.path().startsWith("/orders/")).hasSize(5); // COMMERCE_LOOKUP_SESSION_LIMIT
        assertThat(statuses).containsOnly(404, 429);
        assertThat(statuses).filteredOn(s -> s == 404).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
        assertThat(failures("burst")).isEqualTo(5);
    }

    @Test
    void aParallelBurstAcrossSessionsReachesTheStoreOnlyUpToTheTenantLimit() throws Exception {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.orderDelay = Duration.ofMillis(200);
        fake.requests.clear();

        // 60 sessions, one wrong lookup each: every session is below its own limit, the tenant's 50 are not
        List<Integer> statuses = burst(60, i -> lookupStatus("visitor-" + i, Integer.toString(900 + i), "ann@example.com"));

        assertThat(fake.requests).filteredOn(r -> r.path().startsWith("/orders/")).hasSize(50); // COMMERCE_LOOKUP_TENANT_LIMIT
        assertThat(statuses).containsOnly(404, 429);
        assertThat(statuses).filteredOn(s -> s == 404).hasSize(50);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(10);
    }

    @Test
    void successfulLookupsNeverCountAsFailures() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        fake.order(727, "ann@example.com", "completed", null);
        for (int i = 0; i < 8; i++) { // more than the session limit of 5
            lookup("returning-shopper", "727", "ann@example.com").expectStatus().isOk();
        }
        assertThat(failures("returning-shopper")).isZero();
        for (int i = 0; i < 5; i++) {
            lookup("returning-shopper", Integer.toString(800 + i), "ann@example.com").expectStatus().isNotFound();
        }
        lookup("returning-shopper", "727", "ann@example.com").expectStatus().isEqualTo(429);
    }

    // ---- webhooks ----------------------------------------------------------------------------------------------

    @Test
    void signedWebhooksApplyAtOnceAndBadOrReplayedOnesDoNot() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        web.post().uri("/api/commerce/webhooks/register").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.delivery_url").isEqualTo("https://concierge.example/api/commerce/webhooks/woocommerce/" + tenant)
                .jsonPath("$.webhooks.length()").isEqualTo(5);
        assertThat(fake.webhooks).extracting(w -> w.get("topic").asString())
                .contains("product.created", "product.updated", "product.deleted", "order.updated");
        String secret = fake.webhooks.get(0).get("secret").asString();
        assertThat(db.sql("select webhook_secret_enc from store_connections where tenant_id = :t").bind("t", tenant)
                .map(r -> r.get(0, String.class)).one().block()).isNotEqualTo(secret).isNotBlank();

        // the ping WooCommerce sends when a webhook is created
        web.post().uri("/api/commerce/webhooks/woocommerce/{t}", tenant).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("webhook_id=101").exchange().expectStatus().isOk();

        get("/api/commerce/products/93/stock").expectBody().jsonPath("$.stock_quantity").isEqualTo(12); // cached live
        int before = awaitEvents(3).size();
        ObjectNode pump = fake.products.get(93L).put("stock_quantity", 3).put("price", "31.00");
        String body = json.writeValueAsString(pump);

        webhook("product.updated", "d-1", body, sign(secret, body)).expectStatus().isOk().expectBody()
                .jsonPath("$.change").isEqualTo("updated");
        webhook("product.updated", "d-1", body, sign(secret, body)).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("duplicate");
        webhook("product.updated", "d-2", body, sign("not-the-secret", body)).expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        webhook("product.updated", "d-3", body, null).expectStatus().isUnauthorized();

        get("/api/commerce/products/93").expectBody().jsonPath("$.price").isEqualTo("31.00");
        get("/api/commerce/products/93/stock").expectBody().jsonPath("$.stock_quantity").isEqualTo(3); // cache dropped
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(collectMine()).hasSize(before + 1));

        String deleted = "{\"id\":120}";
        webhook("product.deleted", "d-4", deleted, sign(secret, deleted)).expectStatus().isOk().expectBody()
                .jsonPath("$.change").isEqualTo("deleted");
        get("/api/commerce/products/120").expectStatus().isNotFound();
        String order = "{\"id\":727,\"status\":\"completed\"}";
        webhook("order.updated", "d-5", order, sign(secret, order)).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(collectMine()).hasSize(before + 2));
    }

    @Test
    void registeringWebhooksAgainUpdatesOursInPlaceWithTheSameSecretAndLeavesNoDuplicates() {
        awaitSync(json.readTree(connect()).get("sync_id").asString());
        String deliveryUrl = "https://concierge.example/api/commerce/webhooks/woocommerce/" + tenant;
        // 105 webhooks of other apps come first, so ours are listed on the second page (per_page=100)
        for (int i = 1; i <= 105; i++) {
            fake.webhook(i, "Other app " + i, "order.created", "https://other.example/hooks/" + i, "active");
        }
        Map<String, Long> ids = idsByTopic(web.post().uri("/api/commerce/webhooks/register").header("X-Tenant-Id", tenant)
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        assertThat(ids).hasSize(5);
        String secret = fake.webhookSecrets.get(ids.get("product.updated"));
        assertThat(secret).isNotBlank();
        // since then: WooCommerce disabled one after failed deliveries, and an earlier double registration left a copy
        fake.storedWebhooks.get(ids.get("order.updated")).put("status", "disabled");
        fake.webhook(5000, "Concierge product.updated", "product.updated", deliveryUrl, "active");
        fake.webhookSecrets.put(5000L, "an-old-secret");
        // a delivery the store signed before the second registration, still in flight
        ObjectNode pump = fake.products.get(93L).put("price", "30.00");
        String body = json.writeValueAsString(pump);
        String signature = sign(secret, body);

        String again = web.post().uri("/api/commerce/webhooks/register").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        assertThat(idsByTopic(again)).isEqualTo(ids);
        assertThat(json.readTree(again).get("removed").toString()).isEqualTo("[5000]");
        assertThat(fake.webhooks).hasSize(5); // nothing was created the second time
        List<JsonNode> ours = fake.storedWebhooks.values().stream()
                .filter(w -> w.get("delivery_url").asString().equals(deliveryUrl)).map(w -> (JsonNode) w).toList();
        assertThat(ours).extracting(w -> w.get("topic").asString())
                .containsExactlyInAnyOrder("product.created", "product.updated", "product.deleted", "product.restored", "order.updated");
        assertThat(ours).allSatisfy(w -> assertThat(w.get("status").asString()).isEqualTo("active"));
        assertThat(ours).allSatisfy(w -> assertThat(fake.webhookSecrets.get(w.get("id").asLong())).isEqualTo(secret));
        assertThat(fake.storedWebhooks).hasSize(105 + 5); // the other apps' webhooks are untouched
        assertThat(fake.requests("GET", "/webhooks")).extracting(r -> r.query().get("page")).contains("1", "2");

        webhook("product.updated", "d-inflight", body, signature).expectStatus().isOk().expectBody()
                .jsonPath("$.change").isEqualTo("updated");
        String later = "{\"id\":120}";
        webhook("product.deleted", "d-later", later, sign(secret, later)).expectStatus().isOk();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Map<String, Long> idsByTopic(String registerBody) {
        Map<String, Long> ids = new java.util.TreeMap<>();
        json.readTree(registerBody).get("webhooks").forEach(w -> ids.put(w.get("topic").asString(), w.get("id").asLong()));
        return ids;
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).header("X-Tenant-Id", tenant).exchange();
    }

    private WebTestClient.ResponseSpec putConnection(String body) {
        return web.put().uri("/api/commerce/connection").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String connect() {
        return putConnection(connection(fake.url(), fake.consumerKey, fake.consumerSecret)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static String connection(String url, String key, String secret) {
        return "{\"platform\":\"woocommerce\",\"store_url\":\"" + url + "\",\"consumer_key\":\"" + key
                + "\",\"consumer_secret\":\"" + secret + "\"}";
    }

    private void assertConnectFails(String url, String key, String secret, String reason) {
        String body = putConnection(connection(url, key, secret)).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = json.readTree(body);
        assertThat(problem.get("reason").asString()).as(body).isEqualTo(reason);
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(body).doesNotContain(secret);
    }

    private String startSync(String mode) {
        String body = web.post().uri("/api/commerce/sync").header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"mode\":\"" + mode + "\"}").exchange().expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody();
        return json.readTree(body).get("sync_id").asString();
    }

    private JsonNode awaitSync(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String body = get("/api/commerce/sync/" + id).expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody();
            last[0] = json.readTree(body);
            assertThat(last[0].get("status").asString()).as(body).isEqualTo("completed");
        });
        return last[0];
    }

    private List<String> names(String q) {
        String body = web.get().uri(b -> b.path("/api/commerce/products").queryParam("q", q).build())
                .header("X-Tenant-Id", tenant).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        List<String> names = new ArrayList<>();
        json.readTree(body).get("products").forEach(p -> names.add(p.get("name").asString()));
        return names;
    }

    private WebTestClient.ResponseSpec lookup(String session, String number, String email) {
        return web.post().uri("/api/commerce/orders/lookup").header("X-Tenant-Id", tenant).header("X-Session-Id", session)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"order_number\":\"" + number + "\",\"email\":\"" + email + "\"}").exchange();
    }

    private int lookupStatus(String session, String number, String email) {
        return lookup(session, number, email).expectBody(String.class).returnResult().getStatus().value();
    }

    private long failures(String session) {
        return db.sql("select count(*) from order_lookup_failures where tenant_id = :t and session_id = :s")
                .bind("t", tenant).bind("s", session).map(r -> r.get(0, Long.class)).one().block();
    }

    /** Runs {@code n} calls at once (released together from their own threads); their results in order. */
    private static <T> List<T> burst(int n, java.util.function.IntFunction<T> call) throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (java.util.concurrent.Future<T> f : futures) {
                results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static String notFoundBody(WebTestClient.ResponseSpec spec) {
        return spec.expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec webhook(String topic, String delivery, String body, String signature) {
        WebTestClient.RequestBodySpec spec = web.post().uri("/api/commerce/webhooks/woocommerce/{t}", tenant)
                .contentType(MediaType.APPLICATION_JSON).header("X-WC-Webhook-Topic", topic)
                .header("X-WC-Webhook-Resource", topic.substring(0, topic.indexOf('.')))
                .header("X-WC-Webhook-Event", topic.substring(topic.indexOf('.') + 1))
                .header("X-WC-Webhook-Source", fake.url() + "/")
                .header("X-WC-Webhook-Delivery-ID", delivery);
        if (signature != null) {
            spec = spec.header("X-WC-Webhook-Signature", signature);
        }
        return spec.bodyValue(body).exchange();
    }

    private static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired dev.concierge.commerce.catalog.LiveStockCache liveStock;

    private void invalidate(long productId) {
        liveStock.invalidate(tenant, productId);
    }

    private static synchronized List<ConsumerRecord<String, String>> collect() {
        consumer.poll(Duration.ofMillis(300)).forEach(events::add);
        return events;
    }

    private List<ConsumerRecord<String, String>> collectMine() {
        return collect().stream().filter(r -> r.key().startsWith(tenant + ":")).toList();
    }

    private List<ConsumerRecord<String, String>> awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(15)).pollInSameThread().untilAsserted(() -> assertThat(collectMine()).hasSize(n));
        return collectMine();
    }
}
