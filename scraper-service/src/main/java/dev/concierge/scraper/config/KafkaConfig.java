package dev.concierge.scraper.config;

import dev.concierge.contracts.Topic;
import dev.concierge.contracts.Topics;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    /** Same limit as the other services: one page's text (or its vectors) travels as one event. */
    static final String MAX_MESSAGE_BYTES = "8388608";

    /** Every topic of the catalogue and its dead-letter topic; KafkaAdmin creates those that are missing. */
    @Bean
    KafkaAdmin.NewTopics topics(@Value("${concierge.kafka.replication-factor:1}") int replicas) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .flatMap(t -> Stream.of(topic(t.name(), t, replicas), topic(t.deadLetter(), t, replicas)))
                .toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, Topic<?> t, int replicas) {
        return TopicBuilder.name(name).partitions(t.partitions()).replicas(replicas)
                .config("max.message.bytes", MAX_MESSAGE_BYTES).build();
    }

    /**
     * A record whose processing throws is tried twice more, then goes to {@code <topic>.dlt} with the
     * exception in its headers, and the listener moves on. Boot wires this bean into the listener factory.
     * A database that is down or too slow is not the record's fault: such failures are retried (with
     * backoff, holding the partition) until the database is back, so progress is never dead-lettered
     * and no job waits forever for a page whose outcome was thrown away.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template) {
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, ex) -> new TopicPartition(record.topic() + ".dlt", -1));
        var handler = new DefaultErrorHandler(recoverer, new FixedBackOff(500, 2));
        handler.setBackOffFunction((record, ex) -> isTransient(ex) ? untilRecovered() : null);
        return handler;
    }

    static boolean isTransient(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof R2dbcTransientException || t instanceof R2dbcNonTransientResourceException
                    || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static ExponentialBackOff untilRecovered() {
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }
}
