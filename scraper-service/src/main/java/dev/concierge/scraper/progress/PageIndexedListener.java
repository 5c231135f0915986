package dev.concierge.scraper.progress;

import dev.concierge.contracts.PageIndexed;
import dev.concierge.scraper.jobs.JobProgress;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * search.page-indexed.v1 → the page's final outcome (indexed or failed); an indexed page's hash is
 * remembered so an unchanged page is not published again. A malformed event throws and ends in
 * {@code search.page-indexed.v1.dlt} after two retries.
 */
@Component
class PageIndexedListener {

    private final JsonMapper json;
    private final JobProgress progress;

    PageIndexedListener(JsonMapper json, JobProgress progress) {
        this.json = json;
        this.progress = progress;
    }

    @KafkaListener(topics = "#{T(dev.concierge.contracts.Topics).PAGE_INDEXED.name()}",
            groupId = "${spring.kafka.consumer.group-id}")
    void onPageIndexed(String value) {
        PageIndexed event = json.readValue(value, PageIndexed.class);
        progress.pageIndexed(event.tenantId(), event.jobId(), event.url(), event.contentHash(), event.status(),
                event.error());
    }
}
