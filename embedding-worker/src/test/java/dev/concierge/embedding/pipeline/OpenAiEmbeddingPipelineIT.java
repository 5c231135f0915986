package dev.concierge.embedding.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import dev.concierge.embedding.support.FakeOpenAi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker configured as an operator would ({@code EMBEDDING_MODEL=text-embedding-3-small},
 * {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}) against a local server speaking OpenAI's embeddings wire
 * format. The outage case runs last: it leaves the model's circuit breaker just recovered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "EMBEDDING_MODEL=text-embedding-3-small",
        "OPENAI_API_KEY=sk-test"})
@EmbeddedKafka(partitions = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiEmbeddingPipelineIT {

    static final FakeOpenAi OPENAI = new FakeOpenAi();

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        registry.add("OPENAI_BASE_URL", OPENAI::baseUrl);
    }

    @AfterAll
    static void stopOpenAi() {
        OPENAI.close();
    }

    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired EmbeddedKafkaBroker broker;
    @Autowired JsonMapper json;

    Consumer<String, String> consumer;

    @BeforeEach
    void subscribe() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "it-" + System.nanoTime(), false);
        props.put("auto.offset.reset", "earliest");
        consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.CHUNKS_EMBEDDED.name(), Topics.PAGE_SCRAPED.deadLetter()));
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    @Order(1)
    void embedsEveryChunkWithTheConfiguredOpenAiModel() throws Exception {
        PageScraped page = page("http://shop.example/returns/", "Returns", """
                # Returns
                You can return any unused item within 30 days of delivery for a full refund.
                ## How to return
                Fill in the returns form and send the parcel to our workshop in Utrecht.
                """);
        kafka.send(Topics.PAGE_SCRAPED.name(), EventKeys.page("tenant-1", page.url()), json.writeValueAsString(page)).get();

        ChunksEmbedded event = json.readValue(awaitRecord(Topics.CHUNKS_EMBEDDED.name(), page.url()).value(),
                ChunksEmbedded.class);

        assertThat(event.error()).isNull();
        assertThat(event.model()).isEqualTo("text-embedding-3-small");
        assertThat(event.dimension()).isEqualTo(1536);
        assertThat(event.language()).isEqualTo("en");
        assertThat(event.chunks()).extracting(ChunksEmbedded.Chunk::heading).containsExactly("Returns", "How to return");
        assertThat(event.chunks()).allSatisfy(c -> assertThat(c.vector()).hasSize(1536));
        assertThat(OPENAI.requests()).hasSize(1).first().satisfies(r -> {
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.authorization()).isEqualTo("Bearer sk-test");
            assertThat(r.input()).containsExactly(
                    "Returns. You can return any unused item within 30 days of delivery for a full refund.",
                    "Returns. How to return. Fill in the returns form and send the parcel to our workshop in Utrecht.");
        });
    }

    /**
     * OpenAI answers 503 five times in a row. The worker's own four attempts give up and the circuit opens
     * (the breaker has seen enough failures); for the 30 s it stays open the page is delivered again and
     * again and fails fast without calling OpenAI, more deliveries than service-kit's policy allows before
     * dead-lettering. Once the circuit lets calls through again, the page is embedded: its first result is
     * the embedded page (no failed result before it), nothing is dead-lettered, and OpenAI saw only the five
     * failed calls and the one that worked.
     */
    @Test
    @Order(2)
    void aModelOutageDelaysThePageButLosesNothing() throws Exception {
        int before = OPENAI.requests().size();
        OPENAI.failNext(5);
        PageScraped page = page("http://shop.example/shipping/", "Shipping", "# Shipping\nOrders over 60 EUR ship free.");
        kafka.send(Topics.PAGE_SCRAPED.name(), EventKeys.page("tenant-1", page.url()), json.writeValueAsString(page)).get();

        ChunksEmbedded event = json.readValue(awaitRecord(Topics.CHUNKS_EMBEDDED.name(), page.url()).value(),
                ChunksEmbedded.class);

        assertThat(event.error()).as("the first result for the page is the embedded page").isNull();
        assertThat(event.chunks()).singleElement().satisfies(c -> assertThat(c.vector()).hasSize(1536));
        assertThat(OPENAI.requests().size() - before).as("5 failures, then the call that worked").isEqualTo(6);
        List<TopicPartition> dlt = consumer.partitionsFor(Topics.PAGE_SCRAPED.deadLetter()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        assertThat(consumer.endOffsets(dlt).values()).allMatch(offset -> offset == 0L);
    }

    private static PageScraped page(String url, String title, String text) {
        return new PageScraped("tenant-1", "job-1", url, title, text, EventKeys.sha256(text), Instant.now(),
                null, "en", List.of());
    }

    /** The first record on {@code topic} whose value contains {@code marker}. */
    private ConsumerRecord<String, String> awaitRecord(String topic, String marker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)).records(topic)) {
                if (r.value().contains(marker)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record containing " + marker + " on " + topic);
    }
}
