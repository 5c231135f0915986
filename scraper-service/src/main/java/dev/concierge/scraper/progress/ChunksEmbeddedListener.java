package dev.concierge.scraper.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
        EmbeddedPage event = json.readValue(value, EmbeddedPage.class);
        progress.pageEmbedded(event.tenantId(), event.jobId(), event.url(), event.contentHash(), event.model(),
                event.error());
    }

    /**
     * The fields of a {@link ChunksEmbedded} event the job's progress needs. The event carries every vector
     * of the page; reading them into floats only to drop them showed up in the scraper's profile in the
     * ingestion benchmark, so the parser skips them.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EmbeddedPage(String tenantId, String jobId, String url, String contentHash, String model, String error) {
    }
}
