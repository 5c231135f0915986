package dev.concierge.scraper.crawling;

import dev.concierge.scraper.config.ScraperProperties;
import dev.concierge.scraper.crawling.internal.CrawlSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Crawls one site with crawler4j: the start URL and the pages its sitemaps list, then every same-site
 * link within the depth limit and URL rules, honouring robots.txt (for our user agent's product token,
 * including {@code Crawl-delay}), the politeness delay and the page limit, never reaching a non-public
 * address unless allowed. Known pages are revalidated with conditional requests. Blocking: call it on a thread of
 * its own, never on an event loop.
 */
@Component
public class SiteCrawler {

    private final ScraperProperties properties;
    private final AddressGuard guard;
    private final PageExtractor extractor;
    private final Set<CrawlSession> running = ConcurrentHashMap.newKeySet();

    public SiteCrawler(ScraperProperties properties, AddressGuard guard, PageExtractor extractor) {
        this.properties = properties;
        this.guard = guard;
        this.extractor = extractor;
    }

    /** Runs the crawl to its end, reporting pages and failures to {@code listener} as they come. */
    public CrawlResult crawl(CrawlRequest request, CrawlListener listener) throws Exception {
        CrawlSession session = new CrawlSession(properties, guard, extractor, request, listener);
        running.add(session);
        try {
            return session.run();
        } finally {
            running.remove(session);
        }
    }

    /** Ends the running crawl labelled {@code label} early, if there is one (cancel). */
    public void stop(String label) {
        running.stream().filter(s -> s.label().equals(label)).forEach(CrawlSession::stop);
    }

    /** Ends every running crawl early (application shutdown). */
    public void stopAll() {
        running.forEach(CrawlSession::stop);
    }
}
