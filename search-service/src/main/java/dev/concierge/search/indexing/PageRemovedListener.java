package dev.concierge.search.indexing;

import dev.concierge.contracts.PageRemoved;
import dev.concierge.search.indexing.internal.ChunkRepository;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * scrape.page-removed.v1 → the page and all its chunks leave the index, and a tombstone keeps chunks
 * embedded before the removal from bringing it back (idempotent: removing twice is fine). A removal
 * older than the embedding of the indexed version is stale and changes nothing.
 */
@Component
class PageRemovedListener {

    private static final Logger log = LoggerFactory.getLogger(PageRemovedListener.class);

    private final JsonMapper json;
    private final ChunkRepository chunks;

    PageRemovedListener(JsonMapper json, ChunkRepository chunks) {
        this.json = json;
        this.chunks = chunks;
    }

    @KafkaListener(topics = "scrape.page-removed.v1")
    void onPageRemoved(String value) {
        PageRemoved event = json.readValue(value, PageRemoved.class);
        if (event.tenantId() == null || event.url() == null) {
            throw new IllegalArgumentException("page-removed event without tenant_id or url");
        }
        Instant removedAt = event.removedAt();
        if (removedAt == null) { // required by the schema; a removal is still better applied than lost
            log.warn("page-removed event for {} without removed_at; using the time of arrival", event.url());
            removedAt = Instant.now();
        }
        if (Boolean.TRUE.equals(chunks.removePage(event.tenantId(), event.url(), removedAt).block(Duration.ofSeconds(60)))) {
            log.info("removed {} from the index ({})", event.url(), event.reason());
        } else {
            log.info("kept {}: the indexed version was embedded after its removal at {}", event.url(), removedAt);
        }
    }
}
