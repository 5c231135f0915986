package dev.concierge.scraper.progress;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.scraper.jobs.JobProgress;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * embed.chunks-embedded.v1 → the page counts as embedded, or, when the worker reports an error, as
 * failed. A malformed event throws and ends in {@code embed.chunks-embedded.v1.dlt} after two retries.
 */
@Component
class ChunksEmbeddedListener {

    private final JsonMapper json;
    private final JobProgress progress;

    ChunksEmbeddedListener(JsonMapper json, JobProgress progress) {
        this.json = json;
        this.progress = progress;
    }

    @KafkaListener(topics = "#{T(dev.concierge.contracts.Topics).CHUNKS_EMBEDDED.name()}",
            groupId = "${spring.kafka.consumer.group-id}")
    void onChunksEmbedded(String value) {
        ChunksEmbedded event = json.readValue(value, ChunksEmbedded.class);
        progress.pageEmbedded(event.tenantId(), event.jobId(), event.url(), event.contentHash(), event.model(),
                event.error());
    }
}
