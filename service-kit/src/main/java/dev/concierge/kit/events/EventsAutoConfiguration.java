package dev.concierge.kit.events;

import dev.concierge.contracts.Topic;
import dev.concierge.contracts.Topics;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every service that talks Kafka gets the same publisher, the same listener error handling, and makes
 * sure every catalogue topic and its dead-letter topic exist (whichever service starts first creates
 * them; creating an existing topic is a no-op).
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
public class EventsAutoConfiguration {

    /** One page's text, or its chunks with their vectors, travels as one event. */
    public static final String MAX_MESSAGE_BYTES = "8388608";

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(KafkaTemplate<String, String> kafka, JsonMapper json,
                                  @Value("${spring.application.name}") String source) {
        return new EventPublisher(kafka, json, source);
    }

    @Bean
    @ConditionalOnMissingBean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template) {
        return ListenerErrors.handler(template);
    }

    @Bean
    KafkaAdmin.NewTopics catalogueTopics(@Value("${concierge.kafka.replication-factor:1}") int replicas) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .flatMap(t -> Stream.of(topic(t.name(), t, replicas), topic(t.deadLetter(), t, replicas)))
                .toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, Topic<?> t, int replicas) {
        return TopicBuilder.name(name).partitions(t.partitions()).replicas(replicas)
                .config("max.message.bytes", MAX_MESSAGE_BYTES).build();
    }
}
