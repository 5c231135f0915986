package dev.concierge.search.indexing;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.contracts.Topics;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
class PageIndexedPublisher {

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;

    PageIndexedPublisher(KafkaTemplate<String, String> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** Sends and waits for the broker's acknowledgement (called on a Kafka listener thread). */
    void publish(PageIndexed event) {
        var record = new ProducerRecord<>(Topics.PAGE_INDEXED.name(), EventKeys.page(event.tenantId(), event.url()),
                json.writeValueAsString(event));
        CloudEventHeaders.of(Topics.PAGE_INDEXED, "search-service").forEach((k, v) -> record.headers().add(k, v));
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish the outcome of " + event.url(), e);
        }
    }
}
