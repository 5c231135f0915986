package dev.concierge.embedding.config;

import dev.concierge.contracts.Topic;
import dev.concierge.contracts.Topics;
import dev.concierge.embedding.chunking.Chunker;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class WorkerConfig {

    /** Bigger than the broker default: one page's chunks with their vectors travel as one event. */
    static final String MAX_MESSAGE_BYTES = "8388608";

    @Bean
    Chunker chunker(EmbeddingProperties p) {
        return new Chunker(p.targetWords(), p.maxWords(), p.overlapWords(), p.maxChunksPerPage());
    }

    @Bean
    KafkaAdmin.NewTopics topics(@Value("${concierge.kafka.replication-factor:1}") int replicas) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .flatMap(t -> java.util.stream.Stream.of(topic(t.name(), t, replicas), topic(t.deadLetter(), t, replicas)))
                .toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, Topic<?> t, int replicas) {
        return TopicBuilder.name(name).partitions(t.partitions()).replicas(replicas)
                .config("max.message.bytes", MAX_MESSAGE_BYTES).build();
    }

    /** Bounded retries with backoff, then the record goes to {@code <topic>.dlt} with the error in its headers. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxAttempts(3);
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, ex) -> new org.apache.kafka.common.TopicPartition(record.topic() + ".dlt", -1));
        return new DefaultErrorHandler(recoverer, backOff);
    }
}
