package dev.concierge.embedding.pipeline;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.Topics;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
class ChunksEmbeddedPublisher {

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;

    ChunksEmbeddedPublisher(KafkaTemplate<String, String> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** Sends and waits for the broker's acknowledgement, so the caller may commit its input offset. */
    void publish(ChunksEmbedded event) {
        var record = new ProducerRecord<>(Topics.CHUNKS_EMBEDDED.name(), EventKeys.page(event.tenantId(), event.url()),
                json.writeValueAsString(event));
        CloudEventHeaders.of(Topics.CHUNKS_EMBEDDED, "embedding-worker").forEach((k, v) -> record.headers().add(k, v));
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish chunks of " + event.url(), e);
        }
    }
}
