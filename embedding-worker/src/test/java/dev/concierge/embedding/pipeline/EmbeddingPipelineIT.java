package dev.concierge.embedding.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 1)
class EmbeddingPipelineIT {

    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired EmbeddedKafkaBroker broker;
    @Autowired JsonMapper json;

    Consumer<String, String> consumer;

    @BeforeEach
    void subscribe() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "it-" + System.nanoTime(), false);
        props.put("auto.offset.reset", "earliest");
        consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer()).createConsumer();
        consumer.subscribe(java.util.List.of(Topics.CHUNKS_EMBEDDED.name(), Topics.PAGE_SCRAPED.deadLetter()));
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void embedsEveryChunkOfAScrapedPageWithTheModelRecorded() throws Exception {
        String text = """
                # Returns
                You can return any unused item within 30 days of delivery for a full refund.
                ## How to return
                Fill in the returns form and send the parcel to our workshop in Utrecht.
                """;
        PageScraped page = new PageScraped("tenant-1", "job-1", "http://shop.example/returns/", "Returns",
                text, EventKeys.sha256(text), Instant.now(), null, "en", List.of());
        kafka.send(Topics.PAGE_SCRAPED.name(), EventKeys.page("tenant-1", page.url()), json.writeValueAsString(page)).get();

        ConsumerRecord<String, String> record = awaitRecord(Topics.CHUNKS_EMBEDDED.name(), page.url());
        ChunksEmbedded event = json.readValue(record.value(), ChunksEmbedded.class);

        assertThat(record.key()).isEqualTo(EventKeys.page("tenant-1", page.url()));
        assertThat(new String(record.headers().lastHeader("ce_type").value())).isEqualTo("dev.concierge.embed.chunks-embedded.v1");
        assertThat(event.error()).isNull();
        assertThat(event.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(event.dimension()).isEqualTo(384);
        assertThat(event.contentHash()).isEqualTo(page.contentHash());
        assertThat(event.chunks()).extracting(ChunksEmbedded.Chunk::heading).containsExactly("Returns", "How to return");
        assertThat(event.chunks()).allSatisfy(c -> assertThat(c.vector()).hasSize(384));
        assertThat(cosine(event.chunks().get(0).vector(), event.chunks().get(1).vector())).isLessThan(0.99);
    }

    @Test
    void aPageWithoutTextIsReportedAsFailedNotDropped() throws Exception {
        PageScraped page = new PageScraped("tenant-1", "job-2", "http://shop.example/empty/", "", "  ",
                EventKeys.sha256("  "), Instant.now(), null, null, List.of());
        kafka.send(Topics.PAGE_SCRAPED.name(), "k", json.writeValueAsString(page)).get();

        ChunksEmbedded event = json.readValue(awaitRecord(Topics.CHUNKS_EMBEDDED.name(), page.url()).value(),
                ChunksEmbedded.class);
        assertThat(event.chunks()).isEmpty();
        assertThat(event.error()).contains("no text");
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopic() throws Exception {
        kafka.send(Topics.PAGE_SCRAPED.name(), "bad", "{not json").get();

        ConsumerRecord<String, String> dead = awaitRecord(Topics.PAGE_SCRAPED.deadLetter(), "{not json");
        assertThat(dead.value()).isEqualTo("{not json");
        assertThat(dead.headers().lastHeader("kafka_dlt-exception-message")).isNotNull();
    }

    /** The first record on {@code topic} whose value contains {@code marker}; other tests' records are skipped. */
    private ConsumerRecord<String, String> awaitRecord(String topic, String marker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)).records(topic)) {
                if (r.value().contains(marker)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record containing " + marker + " on " + topic);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
