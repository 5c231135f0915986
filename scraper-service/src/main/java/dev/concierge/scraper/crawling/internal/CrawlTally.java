package dev.concierge.scraper.crawling.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one crawl saw, shared by its crawler threads: enough to say why a crawl found nothing, and which
 * URLs it reached (as a link, seed, sitemap entry or fetch), to tell which known pages are unlinked.
 */
final class CrawlTally {

    private final String startUrl;
    private final AtomicLong htmlPages = new AtomicLong();
    private final AtomicReference<String> startUrlProblem = new AtomicReference<>();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private final AtomicReference<String> incomplete = new AtomicReference<>();
    private final Set<String> reached = ConcurrentHashMap.newKeySet();

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

    /** A normalised URL the crawl reached (linked, seeded, listed or fetched). */
    void reached(String normalisedUrl) {
        if (normalisedUrl != null) {
            reached.add(normalisedUrl);
        }
    }

    boolean wasReached(String normalisedUrl) {
        return normalisedUrl != null && reached.contains(normalisedUrl);
    }

    /** The crawl may have missed links (a page failed, its links are unknown): no page counts as unlinked. */
    void incomplete(String reason) {
        incomplete.compareAndSet(null, reason);
    }

    String incompleteReason() {
        return incomplete.get();
    }
}
