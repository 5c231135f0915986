package dev.concierge.scraper.jobs.internal;

import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageRemoved;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import org.springframework.stereotype.Component;

/** scrape.page-removed.v1, keyed by tenant + URL hash (like the page's page-scraped events), with CloudEvents headers. */
@Component
public class PageRemovedPublisher {

    private final EventPublisher events;

    public PageRemovedPublisher(EventPublisher events) {
        this.events = events;
    }

    /** Sends and waits for the broker's acknowledgement (blocking: crawler threads only). */
    public void publish(PageRemoved page) {
        events.publishAndWait(Topics.PAGE_REMOVED, EventKeys.page(page.tenantId(), page.url()), page);
    }
}
