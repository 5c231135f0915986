package dev.concierge.chat.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.concierge.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * chat-service against the real PostgreSQL (database concierge_chat_test) and a real embedded KRaft broker,
 * with search-service faked at its HTTP boundary and no language model (the offline responder answers).
 * Every subclass shares one application context. The expiry sweep runs every second.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "PG_DATABASE=concierge_chat_test",
        "concierge.chat.openai.api-key=",
        "concierge.chat.expiry-sweep=1s"})
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
public abstract class ChatServiceITSupport {

    protected static final String SHOP = "tenant-shop";
    protected static final String OTHER = "tenant-other";
    protected static final FakeSearchService SEARCH = new FakeSearchService();
    protected static final FakeCommerceService COMMERCE = new FakeCommerceService();

    private static final ObjectMapper VALIDATOR_MAPPER = new ObjectMapper();

    @DynamicPropertySource
    static void searchService(DynamicPropertyRegistry registry) {
        registry.add("concierge.chat.search-service-url", SEARCH::baseUrl);
        // tenants' own models are fake servers on 127.0.0.1
        registry.add("concierge.chat.llm-allow-private-hosts", () -> "true");
        registry.add("concierge.chat.commerce-service-url", COMMERCE::baseUrl);
    }

    @Autowired protected WebTestClient web;
    @Autowired protected DatabaseClient db;
    @Autowired protected JsonMapper json;
    @Autowired protected EmbeddedKafkaBroker broker;

    private final List<Consumer<String, String>> consumers = new ArrayList<>();

    @BeforeEach
    void cleanSlate() {
        db.sql("truncate messages, conversations").then().block();
        SEARCH.reset();
        COMMERCE.reset();
    }

    @AfterEach
    void closeConsumers() {
        consumers.forEach(Consumer::close);
    }

    /** POST /api/chat as the gateway forwards it; the parsed 200 response. */
    protected JsonNode chat(String tenant, String session, String message) {
        byte[] body = web.post().uri("/api/chat").header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsString(Map.of("message", message, "session_id", session)))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return json.readTree(body);
    }

    /** One Server-Sent Event of POST /api/chat/stream: its name and its data parsed. */
    public record Sse(String event, JsonNode data) {
    }

    /** POST /api/chat/stream as the gateway forwards it: the 200 event stream, checked for its headers. */
    protected FluxExchangeResult<ServerSentEvent<String>> openStream(String tenant, String session, String message) {
        return web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/chat/stream").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(json.writeValueAsString(Map.of("message", message, "session_id", session)))
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectHeader().valueEquals("X-Accel-Buffering", "no")
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
    }

    /** Every event of the stream, read to its end (heartbeat comments left out). */
    protected List<Sse> streamChat(String tenant, String session, String message) {
        List<ServerSentEvent<String>> events = openStream(tenant, session, message).getResponseBody()
                .collectList().block(Duration.ofSeconds(30));
        return events.stream().filter(e -> e.event() != null)
                .map(e -> new Sse(e.event(), e.data() == null ? null : json.readTree(e.data()))).toList();
    }

    /** GET /api/conversations/{id} as the tenant: the transcript. */
    protected JsonNode transcriptOf(String tenant, String conversationId) {
        return json.readTree(web.get().uri("/api/conversations/" + conversationId).header("X-Tenant-Id", tenant)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    /** Backdates a conversation's last activity, as if its session had been idle that long. */
    protected void idleFor(String conversationId, Duration idle) {
        db.sql("update conversations set last_activity_at = now() - make_interval(secs => :s) where id = cast(:id as uuid)")
                .bind("s", (double) idle.toSeconds()).bind("id", conversationId).then().block();
    }

    /** Reads the topics from their end, as a new subscriber would. */
    protected Subscriber subscribe(Topic<?>... topics) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "it-" + System.nanoTime(), false);
        props.put("auto.offset.reset", "latest");
        Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
                new StringDeserializer()).createConsumer();
        consumer.subscribe(java.util.Arrays.stream(topics).map(Topic::name).toList());
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        consumers.add(consumer);
        return new Subscriber(consumer);
    }

    /** Records of the subscribed topics, polled on demand (from the test thread, which owns the consumer). */
    protected static final class Subscriber {

        private final Consumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();

        Subscriber(Consumer<String, String> consumer) {
            this.consumer = consumer;
        }

        public List<ConsumerRecord<String, String>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return List.copyOf(seen);
        }

        public List<ConsumerRecord<String, String>> of(Topic<?> topic) {
            return poll().stream().filter(r -> r.topic().equals(topic.name())).toList();
        }
    }

    protected static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Problems of {@code value} against the topic's JSON Schema in contracts; empty when it validates. */
    protected static Set<ValidationMessage> schemaViolations(Topic<?> topic, String value) throws Exception {
        try (var in = Topic.class.getResourceAsStream(topic.schemaResource())) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            return schema.validate(VALIDATOR_MAPPER.readTree(value));
        }
    }
}
