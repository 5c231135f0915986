package dev.concierge.chat.config;

import dev.concierge.contracts.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    /** chat-service produces only chat.message-posted.v1; it creates it so subscribers can start first. */
    @Bean
    KafkaAdmin.NewTopics chatTopics(@Value("${concierge.kafka.replication-factor:1}") int replicas) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.MESSAGE_POSTED.name()).partitions(Topics.MESSAGE_POSTED.partitions()).replicas(replicas).build());
    }
}
