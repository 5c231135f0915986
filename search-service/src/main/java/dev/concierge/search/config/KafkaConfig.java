package dev.concierge.search.config;

import dev.concierge.contracts.Topic;
import dev.concierge.contracts.Topics;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
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
class KafkaConfig {

    @Bean
    KafkaAdmin.NewTopics topics(@Value("${concierge.kafka.replication-factor:1}") int replicas) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .flatMap(t -> Stream.of(topic(t.name(), t, replicas), topic(t.deadLetter(), t, replicas)))
                .toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, Topic<?> t, int replicas) {
        return TopicBuilder.name(name).partitions(t.partitions()).replicas(replicas)
                .config("max.message.bytes", "8388608").build();
    }

    /** Bounded retries with backoff, then the record goes to {@code <topic>.dlt} with the error in its headers. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxAttempts(3);
        return new DefaultErrorHandler(new DeadLetterPublishingRecoverer(template,
                (record, ex) -> new TopicPartition(record.topic() + ".dlt", -1)), backOff);
    }
}
