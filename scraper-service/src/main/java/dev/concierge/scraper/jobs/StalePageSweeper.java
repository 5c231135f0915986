package dev.concierge.scraper.jobs;

import dev.concierge.scraper.config.ScraperProperties;
import dev.concierge.scraper.jobs.internal.JobPageRepository;
import dev.concierge.scraper.jobs.internal.ScrapeJobRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles pages the indexing pipeline never answered for: every {@code scraper.stale-check-ms}, the pages
 * of running jobs whose crawl has finished that are still scraped or embedded, and were last updated
 * more than {@code scraper.pipeline-timeout} ago (by the {@link Clock} bean), count as failed; then each
 * such job gets the completion check the progress listeners run. Without it a lost or dead-lettered
 * event would leave its job running forever. An outcome arriving later changes nothing (the first
 * outcome wins). Runs on the scheduler's thread, so it may block.
 */
@Component
public class StalePageSweeper {

    private static final Logger log = LoggerFactory.getLogger(StalePageSweeper.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final JobPageRepository pages;
    private final ScrapeJobRepository jobs;
    private final Clock clock;
    private final Duration timeout;

    public StalePageSweeper(JobPageRepository pages, ScrapeJobRepository jobs, Clock clock,
            ScraperProperties properties) {
        this.pages = pages;
        this.jobs = jobs;
        this.clock = clock;
        this.timeout = properties.pipelineTimeout();
    }

    @Scheduled(fixedDelayString = "${scraper.stale-check-ms}", initialDelayString = "${scraper.stale-check-ms}")
    void check() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("stale page check failed", e);
        }
    }

    /** Fails the pages that waited too long and completes their jobs where that settles them; returns the jobs touched. */
    public List<UUID> sweep() {
        List<UUID> touched = pages.failStale(clock.instant().minus(timeout),
                "no outcome from the indexing pipeline within " + timeout).collectList().block(DB_TIMEOUT);
        if (touched == null || touched.isEmpty()) {
            return List.of();
        }
        for (UUID job : touched) {
            log.warn("job {}: pages without an outcome from the indexing pipeline within {} counted as failed", job,
                    timeout);
            if (Boolean.TRUE.equals(jobs.completeIfSettled(job).block(DB_TIMEOUT))) {
                log.info("job {} completed", job);
            }
        }
        return touched;
    }
}
