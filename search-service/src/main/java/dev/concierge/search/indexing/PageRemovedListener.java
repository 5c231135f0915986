package dev.concierge.search.indexing;

import dev.concierge.contracts.PageRemoved;
import dev.concierge.search.indexing.internal.ChunkRepository;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** scrape.page-removed.v1 → the page and all its chunks leave the index (idempotent: removing twice is fine). */
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
        chunks.removePage(event.tenantId(), event.url()).block(Duration.ofSeconds(60));
        log.info("removed {} from the index ({})", event.url(), event.reason());
    }
}
