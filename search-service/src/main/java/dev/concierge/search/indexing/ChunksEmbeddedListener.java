package dev.concierge.search.indexing;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import java.time.Duration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * embed.chunks-embedded.v1 → the index → search.page-indexed.v1. The Kafka listener thread waits for
 * the transaction and for the outcome event's acknowledgement before the offset is committed
 * (at-least-once; replacing a page's chunks makes re-delivery harmless).
 */
@Component
class ChunksEmbeddedListener {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final JsonMapper json;
    private final IndexingService indexing;
    private final EventPublisher events;

    ChunksEmbeddedListener(JsonMapper json, IndexingService indexing, EventPublisher events) {
        this.json = json;
        this.indexing = indexing;
        this.events = events;
    }

    @KafkaListener(topics = "embed.chunks-embedded.v1")
    void onChunksEmbedded(String value) {
        ChunksEmbedded event = json.readValue(value, ChunksEmbedded.class);
        if (event.tenantId() == null || event.url() == null || event.jobId() == null || event.chunks() == null) {
            throw new IllegalArgumentException("chunks-embedded event without tenant_id, job_id, url or chunks");
        }
        PageIndexed outcome = indexing.index(event).block(TIMEOUT);
        events.publishAndWait(Topics.PAGE_INDEXED, EventKeys.page(outcome.tenantId(), outcome.url()), outcome);
    }
}
