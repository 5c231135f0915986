package dev.concierge.scraper.jobs.internal;

import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import org.springframework.stereotype.Component;

/** scrape.page-scraped.v1, keyed by tenant + URL hash, with CloudEvents headers. */
@Component
public class PageScrapedPublisher {

    private final EventPublisher events;

    public PageScrapedPublisher(EventPublisher events) {
        this.events = events;
    }

    /** Sends and waits for the broker's acknowledgement (blocking: crawler threads only). */
    public void publish(PageScraped page) {
        events.publishAndWait(Topics.PAGE_SCRAPED, EventKeys.page(page.tenantId(), page.url()), page);
    }
}
