package dev.concierge.scraper.jobs.internal;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** scrape.page-scraped.v1, keyed by tenant + URL hash, with CloudEvents headers. */
@Component
public class PageScrapedPublisher {

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final String source;

    public PageScrapedPublisher(KafkaTemplate<String, String> kafka, JsonMapper json,
            @Value("${spring.application.name}") String source) {
        this.kafka = kafka;
        this.json = json;
        this.source = source;
    }

    /** Sends and waits for the broker's acknowledgement (blocking: crawler threads only). */
    public void publish(PageScraped page) {
        var record = new ProducerRecord<>(Topics.PAGE_SCRAPED.name(), EventKeys.page(page.tenantId(), page.url()),
                json.writeValueAsString(page));
        CloudEventHeaders.of(Topics.PAGE_SCRAPED, source).forEach((k, v) -> record.headers().add(k, v));
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + page.url(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish " + page.url() + ": " + e.getMessage(), e);
        }
    }
}
