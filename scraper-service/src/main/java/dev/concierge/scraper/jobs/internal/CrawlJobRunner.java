package dev.concierge.scraper.jobs.internal;

import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageRemoved;
import dev.concierge.contracts.PageScraped;
import dev.concierge.scraper.config.ScraperProperties;
import dev.concierge.scraper.crawling.CrawlListener;
import dev.concierge.scraper.crawling.CrawlRequest;
import dev.concierge.scraper.crawling.CrawlResult;
import dev.concierge.scraper.crawling.FetchedPage;
import dev.concierge.scraper.crawling.KnownPage;
import dev.concierge.scraper.crawling.SiteCrawler;
import dev.concierge.scraper.crawling.UrlRules;
import dev.concierge.scraper.jobs.ScrapeJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Runs crawl jobs on a bounded pool of its own threads ({@code scraper.max-concurrent-jobs}); further
 * jobs wait in a bounded queue, {@code pending}. For each fetched page it stores the page, then either
 * counts it as indexed at once (content unchanged since it was last indexed, no force) or publishes
 * it. A known page that answers 304 counts as indexed at once; one that answers 404/410 is removed
 * (scrape.page-removed.v1, reason {@code gone}), and after a complete crawl so is every known page of the
 * crawl's scope it no longer reached ({@code unlinked}). Blocking calls (crawler4j, R2DBC {@code block()},
 * Kafka acks) happen only on these threads.
 * <p>
 * At start-up, before the web server and the Kafka listeners start, jobs a previous process left
 * pending or running are failed with "scraper restarted": their queue and crawler died with it.
 * This assumes one scraper-service instance per database.
 */
@Component
public class CrawlJobRunner implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CrawlJobRunner.class);
    static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    public static final String RESTARTED = "scraper restarted";

    private final SiteCrawler crawler;
    private final ScrapeJobRepository jobs;
    private final JobPageRepository pages;
    private final PageScrapedPublisher publisher;
    private final PageRemovedPublisher removals;
    private final ThreadPoolExecutor executor;
    /** Jobs submitted and not yet done crawling, with their cancel flag. */
    private final Map<UUID, AtomicBoolean> inProgress = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public CrawlJobRunner(SiteCrawler crawler, ScrapeJobRepository jobs, JobPageRepository pages,
            PageScrapedPublisher publisher, PageRemovedPublisher removals, ScraperProperties properties) {
        this.crawler = crawler;
        this.jobs = jobs;
        this.pages = pages;
        this.publisher = publisher;
        this.removals = removals;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(properties.maxConcurrentJobs(), properties.maxConcurrentJobs(),
                0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.maxQueuedJobs()),
                r -> new Thread(r, "crawl-job-" + threads.incrementAndGet()));
    }

    @Override
    public void afterSingletonsInstantiated() {
        recoverInterruptedJobs();
    }

    /** Fails the jobs a crashed or stopped process left pending or running, so none stays stuck. */
    public long recoverInterruptedJobs() {
        Long failed = jobs.failUnfinished(RESTARTED).block(DB_TIMEOUT);
        if (failed != null && failed > 0) {
            log.warn("failed {} crawl jobs left unfinished by a previous run", failed);
        }
        return failed == null ? 0 : failed;
    }

    /** Queues the job; it stays pending until a crawl thread is free. */
    public void submit(ScrapeJob job) throws RejectedExecutionException {
        inProgress.put(job.id(), new AtomicBoolean());
        try {
            executor.execute(() -> {
                try {
                    run(job);
                } finally {
                    inProgress.remove(job.id());
                }
            });
        } catch (RejectedExecutionException e) {
            inProgress.remove(job.id());
            throw e;
        }
    }

    /**
     * Stops the job's crawl, if it is queued or crawling here: the crawler fetches nothing more and its
     * threads end after the request they are in. Call after marking the job cancelled.
     */
    public void cancel(UUID id) {
        AtomicBoolean flag = inProgress.get(id);
        if (flag != null) {
            flag.set(true);
            crawler.stop(id.toString());
        }
    }

    /** Jobs queued or crawling in this process. */
    public int jobsInProgress() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    private void run(ScrapeJob job) {
        UUID id = job.id();
        try {
            if (stopping) {
                jobs.fail(id, "scraper stopped before the crawl started").block(DB_TIMEOUT);
                return;
            }
            if (!Boolean.TRUE.equals(jobs.markRunning(id).block(DB_TIMEOUT))) {
                log.info("job {} is no longer pending; not crawling", id);
                return;
            }
            AtomicBoolean cancelled = inProgress.getOrDefault(id, new AtomicBoolean());
            List<KnownPage> known = pages.knownPages(job.tenantId(), !job.forceRescrape()).collectList()
                    .block(DB_TIMEOUT);
            UrlRules rules = UrlRules.of(job.include(), job.exclude(), job.defaultExcludes());
            CrawlResult result = crawler.crawl(new CrawlRequest(id.toString(), job.startUrl(), job.maxPages(),
                    job.maxDepth(), rules, known), new JobCrawlListener(job, cancelled));
            if (cancelled.get()) {
                log.info("job {} cancelled", id);
                return;
            }
            if (result.interrupted() || stopping) {
                jobs.fail(id, "scraper stopped before the crawl finished").block(DB_TIMEOUT);
                return;
            }
            for (KnownPage unlinked : result.unlinked()) {
                if (cancelled.get()) {
                    return;
                }
                remove(job, unlinked.url(), PageRemoved.UNLINKED);
            }
            String status = jobs.finishCrawl(id, result.scheduledUrls(), result.problem()).block(DB_TIMEOUT);
            if (ScrapeJob.FAILED.equals(status)) {
                log.info("job {} failed: {}", id, result.problem());
            } else if (Boolean.TRUE.equals(jobs.completeIfSettled(id).block(DB_TIMEOUT))) {
                log.info("job {} completed", id);
            }
        } catch (Exception e) {
            log.error("job {} failed", id, e);
            try {
                jobs.fail(id, "internal error: " + e.getClass().getSimpleName()).block(DB_TIMEOUT);
            } catch (RuntimeException again) {
                log.error("could not mark job {} failed", id, again);
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        crawler.stopAll();
        if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    /** Publishes the removal, then drops the page from the store and counts it in the job. */
    private void remove(ScrapeJob job, String url, String reason) {
        try {
            removals.publish(new PageRemoved(job.tenantId(), job.id().toString(), url, reason, Instant.now()));
        } catch (RuntimeException e) {
            log.warn("job {}: could not publish the removal of {}: {}", job.id(), url, e.getMessage());
            return; // kept: the next crawl tries again
        }
        pages.deletePage(job.tenantId(), url).block(DB_TIMEOUT);
        pages.insertRemoved(job.id(), url, reason).block(DB_TIMEOUT);
        log.info("job {}: removed {} ({})", job.id(), url, reason);
    }

    /** Receives one job's pages on the crawler's threads. */
    private final class JobCrawlListener implements CrawlListener {

        private final ScrapeJob job;
        private final AtomicBoolean cancelled;

        JobCrawlListener(ScrapeJob job, AtomicBoolean cancelled) {
            this.job = job;
            this.cancelled = cancelled;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get() || stopping;
        }

        @Override
        public void onUnchanged(KnownPage page) {
            pages.insertUnchanged(job.id(), page.url(), page.contentHash()).block(DB_TIMEOUT);
        }

        @Override
        public void onGone(String url, int status) {
            try {
                String stored = pages.findStoredUrl(job.tenantId(), url).block(DB_TIMEOUT);
                if (stored == null) {
                    pages.insertFailed(job.id(), url, "HTTP " + status).block(DB_TIMEOUT);
                } else {
                    remove(job, stored, PageRemoved.GONE);
                }
            } catch (RuntimeException e) {
                log.error("job {}: could not handle the removal of {}", job.id(), url, e);
            }
        }

        @Override
        public void onSkipped(String url, String reason) {
            try {
                pages.insertSkipped(job.id(), url, reason).block(DB_TIMEOUT);
            } catch (RuntimeException e) {
                log.error("job {}: could not record skipping {}", job.id(), url, e);
            }
        }

        @Override
        public void onPage(FetchedPage page) {
            String hash = EventKeys.sha256(page.text());
            if (!Boolean.TRUE.equals(pages.insertScraped(job.id(), page.url(), hash).block(DB_TIMEOUT))) {
                log.debug("job {} already has {} (fetched as {})", job.id(), page.url(), page.fetchedUrl());
                return;
            }
            // from here on the job has a row for the canonical URL, which may differ from the URL fetched:
            // whatever goes wrong settles that row, or it would stay scraped and the job running forever
            try {
                Optional<String> indexedHash = pages.upsertPage(job.tenantId(), page, hash).block(DB_TIMEOUT);
                if (page.text().isBlank()) {
                    settle(page.url(), JobPageRepository.FAILED, "no text");
                } else if (!job.forceRescrape() && indexedHash != null && hash.equals(indexedHash.orElse(null))) {
                    settle(page.url(), JobPageRepository.INDEXED, null);
                } else {
                    try {
                        publisher.publish(new PageScraped(job.tenantId(), job.id().toString(), page.url(),
                                page.title(), page.text(), hash, page.fetchedAt(), page.description(),
                                page.language(), page.products()));
                    } catch (RuntimeException e) {
                        log.warn("job {}: {}", job.id(), e.getMessage());
                        settle(page.url(), JobPageRepository.FAILED, "could not publish the page");
                    }
                }
            } catch (RuntimeException e) {
                log.error("job {}: could not process {} (fetched as {})", job.id(), page.url(), page.fetchedUrl(), e);
                try {
                    settle(page.url(), JobPageRepository.FAILED,
                            "could not process the page (" + e.getClass().getSimpleName() + ")");
                } catch (RuntimeException again) {
                    log.error("job {}: could not record the failure of {}", job.id(), page.url(), again);
                }
            }
        }

        @Override
        public void onFailure(String url, String reason) {
            try {
                pages.insertFailed(job.id(), url, reason).block(DB_TIMEOUT);
            } catch (RuntimeException e) {
                log.error("job {}: could not record the failure of {}", job.id(), url, e);
            }
        }

        @Override
        public void onDiscovered(long scheduledUrls) {
            try {
                jobs.recordDiscovered(job.id(), scheduledUrls).block(DB_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn("job {}: could not record progress: {}", job.id(), e.toString());
            }
        }

        private void settle(String url, String state, String error) {
            pages.settle(job.id(), url, state, error).block(DB_TIMEOUT);
        }
    }
}
