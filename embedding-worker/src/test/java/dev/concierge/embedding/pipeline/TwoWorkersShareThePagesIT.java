package dev.concierge.embedding.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import dev.concierge.embedding.EmbeddingWorkerApplication;
import dev.concierge.embedding.support.FakeOpenAi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scaling out: two instances of the worker in one consumer group share the partitions of
 * {@code scrape.page-scraped.v1} (as many as the topic catalogue gives it), every page is embedded exactly
 * once, by the instance owning its key's partition, and when one instance stops, the other takes over
 * its partitions and carries on from the committed offsets. Both run as separate Spring applications,
 * with the OpenAI model against a local fake (lighter than loading the ONNX model twice).
 */
class TwoWorkersShareThePagesIT {

    private static final String GROUP = "embedding-worker";
    private static final String PAGES = Topics.PAGE_SCRAPED.name();

    static EmbeddedKafkaKraftBroker broker;
    static FakeOpenAi openAi;
    static final List<ConfigurableApplicationContext> workers = new ArrayList<>();

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        openAi = new FakeOpenAi();
    }

    @AfterAll
    static void stop() {
        workers.forEach(ConfigurableApplicationContext::close);
        openAi.close();
        broker.destroy();
    }

    private static ConfigurableApplicationContext startWorker(String name) {
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(
                "--spring.application.name=" + name, // the CloudEvents source of what it publishes
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--EMBEDDING_WORKER_GROUP=" + GROUP,
                "--EMBEDDING_MODEL=text-embedding-3-small",
                "--OPENAI_API_KEY=sk-test",
                "--OPENAI_BASE_URL=" + openAi.baseUrl());
        workers.add(worker);
        return worker;
    }

    @Test
    void twoInstancesSharePartitionsAndTheSurvivorTakesOverWhenOneStops() throws Exception {
        ConfigurableApplicationContext a = startWorker("worker-a");
        ConfigurableApplicationContext b = startWorker("worker-b");
        int partitions = partitionCount(PAGES);
        assertThat(partitions).as("created from the topic catalogue").isEqualTo(Topics.PAGE_SCRAPED.partitions()).isGreaterThan(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Set<Integer> ofA = assigned(a);
            Set<Integer> ofB = assigned(b);
            return !ofA.isEmpty() && !ofB.isEmpty() && ofA.size() + ofB.size() == partitions
                    && union(ofA, ofB).size() == partitions;
        });
        Set<Integer> partitionsOfA = assigned(a);
        Set<Integer> partitionsOfB = assigned(b);

        JsonMapper json = a.getBean(JsonMapper.class);
        try (Producer<String, String> producer = producer();
             Consumer<String, String> results = resultsConsumer()) {
            Map<String, Integer> firstRound = publish(producer, json, 0, 40);
            Map<String, List<ConsumerRecord<String, String>>> byKey = new HashMap<>();
            awaitAllProcessed(results, byKey, 40);

            assertThat(byKey.keySet()).isEqualTo(firstRound.keySet());
            assertThat(byKey.values()).as("exactly one result per page").allSatisfy(r -> assertThat(r).hasSize(1));
            assertThat(assigned(a)).as("no rebalance during the run").isEqualTo(partitionsOfA);
            assertThat(assigned(b)).isEqualTo(partitionsOfB);
            Map<String, Set<String>> processedBy = new HashMap<>();
            firstRound.forEach((key, partition) -> {
                ConsumerRecord<String, String> result = byKey.get(key).get(0);
                assertThat(source(result)).as("the owner of partition %d", partition)
                        .isEqualTo(partitionsOfA.contains(partition) ? "/worker-a" : "/worker-b");
                assertEmbedded(json, result);
                processedBy.computeIfAbsent(source(result), s -> new TreeSet<>()).add(key);
            });
            assertThat(processedBy).as("both instances did part of the work").containsOnlyKeys("/worker-a", "/worker-b");

            b.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> assigned(a).size() == partitions);

            Map<String, Integer> secondRound = publish(producer, json, 40, 60);
            assertThat(secondRound.values()).as("some pages land on the stopped instance's partitions")
                    .anyMatch(partitionsOfB::contains);
            awaitAllProcessed(results, byKey, 60);

            assertThat(byKey.keySet()).containsAll(secondRound.keySet()).hasSize(60);
            assertThat(byKey.values()).as("still exactly one result per page: nothing re-processed after the "
                    + "takeover, nothing lost").allSatisfy(r -> assertThat(r).hasSize(1));
            secondRound.keySet().forEach(key -> {
                assertThat(source(byKey.get(key).get(0))).isEqualTo("/worker-a");
                assertEmbedded(json, byKey.get(key).get(0));
            });
        }
    }

    /** Publishes pages {@code from..to-1}; returns each page's key and the partition it went to. */
    private static Map<String, Integer> publish(Producer<String, String> producer, JsonMapper json, int from, int to)
            throws Exception {
        Map<String, Integer> partitionByKey = new HashMap<>();
        for (int i = from; i < to; i++) {
            String url = "http://shop.example/products/" + i + "/";
            String text = "# Product " + i + "\nA bike part with number " + i + ". It ships within two days.";
            PageScraped page = new PageScraped("tenant-" + (i % 3), "job-1", url, "Product " + i, text,
                    EventKeys.sha256(text), Instant.now(), null, "en", List.of());
            String key = EventKeys.page(page.tenantId(), url);
            int partition = producer.send(new ProducerRecord<>(PAGES, key, json.writeValueAsString(page))).get().partition();
            partitionByKey.put(key, partition);
        }
        return partitionByKey;
    }

    /**
     * Waits until the worker group has committed every page it was given (so every result is published,
     * since a page's offset is committed only after its result is acknowledged), then reads every result.
     */
    private static void awaitAllProcessed(Consumer<String, String> results,
                                          Map<String, List<ConsumerRecord<String, String>>> byKey, int pages) {
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> committed(admin, PAGES) == pages);
        }
        List<TopicPartition> resultPartitions = partitionsOf(results, Topics.CHUNKS_EMBEDDED.name());
        Map<TopicPartition, Long> end = results.endOffsets(resultPartitions);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, String> r : results.poll(Duration.ofMillis(200))) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
            return end.entrySet().stream().allMatch(e -> results.position(e.getKey()) >= e.getValue());
        });
    }

    private static void assertEmbedded(JsonMapper json, ConsumerRecord<String, String> record) {
        ChunksEmbedded event = json.readValue(record.value(), ChunksEmbedded.class);
        assertThat(event.error()).isNull();
        assertThat(event.model()).isEqualTo("text-embedding-3-small");
        assertThat(event.dimension()).isEqualTo(1536);
        assertThat(event.chunks()).isNotEmpty().allSatisfy(c -> assertThat(c.vector()).hasSize(1536));
        assertThat(record.key()).isEqualTo(EventKeys.page(event.tenantId(), event.url()));
    }

    private static String source(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8);
    }

    /** The partitions of {@code scrape.page-scraped.v1} this worker instance's listener holds now. */
    private static Set<Integer> assigned(ConfigurableApplicationContext worker) {
        return worker.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
                .map(c -> c.getAssignedPartitions())
                .filter(p -> p != null)
                .flatMap(p -> p.stream())
                .filter(tp -> tp.topic().equals(PAGES))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static long committed(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private static int partitionCount(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    private static List<TopicPartition> partitionsOf(Consumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    private static Producer<String, String> producer() {
        return new KafkaProducer<>(KafkaTestUtils.producerProps(broker.getBrokersAsString()),
                new StringSerializer(), new StringSerializer());
    }

    private static Consumer<String, String> resultsConsumer() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker.getBrokersAsString(), "it-results", false);
        props.put("auto.offset.reset", "earliest");
        Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
                new StringDeserializer()).createConsumer();
        consumer.assign(partitionsOf(consumer, Topics.CHUNKS_EMBEDDED.name()));
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }
}
