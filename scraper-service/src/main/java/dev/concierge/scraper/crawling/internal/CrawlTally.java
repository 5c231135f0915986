package dev.concierge.scraper.crawling.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What one crawl saw, shared by its crawler threads; enough to say why a crawl found nothing. */
final class CrawlTally {

    private final String startUrl;
    private final AtomicLong htmlPages = new AtomicLong();
    private final AtomicReference<String> startUrlProblem = new AtomicReference<>();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();

    CrawlTally(String startUrl) {
        this.startUrl = startUrl;
    }

    void htmlPage() {
        htmlPages.incrementAndGet();
    }

    long htmlPages() {
        return htmlPages.get();
    }

    /** Remembers a problem with {@code url}: the start URL's own, and the first one of any URL. */
    void problem(String url, String reason) {
        String text = url + ": " + reason;
        if (startUrl.equals(url)) {
            startUrlProblem.compareAndSet(null, text);
        }
        firstProblem.compareAndSet(null, text);
    }

    String startUrlProblem() {
        return startUrlProblem.get();
    }

    String firstProblem() {
        return firstProblem.get();
    }
}
