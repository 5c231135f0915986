package dev.concierge.kit.events;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.Topic;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a catalogue event: JSON value (the service's snake_case mapper), the business key, and
 * CloudEvents headers naming this service as the source. No Java type headers.
 */
public class EventPublisher {

    static final long ACK_TIMEOUT_SECONDS = 30;

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final String source;

    public EventPublisher(KafkaTemplate<String, String> kafka, JsonMapper json, String source) {
        this.kafka = kafka;
        this.json = json;
        this.source = source;
    }

    /**
     * Sends and waits for the broker's acknowledgement, so a caller consuming from Kafka may commit its
     * input offset afterwards. Blocking: call it from listener or worker threads, never an event loop.
     */
    public <T> void publishAndWait(Topic<T> topic, String key, T event) {
        try {
            publish(topic, key, event).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic.name() + " (key " + key + ")", e);
        }
    }

    /** Sends without waiting; the future completes when the broker acknowledges. */
    public <T> CompletableFuture<?> publish(Topic<T> topic, String key, T event) {
        var record = new ProducerRecord<>(topic.name(), key, json.writeValueAsString(event));
        CloudEventHeaders.of(topic, source).forEach((k, v) -> record.headers().add(k, v));
        return kafka.send(record);
    }
}
