package dev.concierge.scraper.jobs;

import dev.concierge.scraper.jobs.internal.CrawlScheduleRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Scheduled re-crawls: every {@code scraper.recrawl-check-ms} it starts a non-forced job for each tenant
 * and start URL whose {@code recrawl_interval} has passed (by the {@link Clock} bean) since the later of
 * its last completed job and its last scheduled attempt, with that job's parameters. A start URL with an
 * unfinished job is skipped, and so are the schedules of tenants the gateway reported disabled
 * (tenant.tenant-updated.v1); they are due again once the tenant is enabled. Runs on the scheduler's thread, so it
 * may block.
 */
@Component
public class RecrawlScheduler {

    private static final Logger log = LoggerFactory.getLogger(RecrawlScheduler.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_STARTS_PER_CHECK = 100;

    private final CrawlScheduleRepository schedules;
    private final ScrapeJobService service;
    private final Clock clock;

    public RecrawlScheduler(CrawlScheduleRepository schedules, ScrapeJobService service, Clock clock) {
        this.schedules = schedules;
        this.service = service;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${scraper.recrawl-check-ms}", initialDelayString = "${scraper.recrawl-check-ms}")
    void check() {
        try {
            startDue();
        } catch (RuntimeException e) {
            log.error("recrawl check failed", e);
        }
    }

    /** Starts every due re-crawl; returns the ids of the jobs started. */
    public List<UUID> startDue() {
        Instant now = clock.instant();
        List<CrawlScheduleRepository.DueCrawl> due = schedules.findDue(now, MAX_STARTS_PER_CHECK).collectList()
                .block(DB_TIMEOUT);
        if (due == null || due.isEmpty()) {
            return List.of();
        }
        List<UUID> started = new ArrayList<>();
        for (CrawlScheduleRepository.DueCrawl crawl : due) {
            schedules.markAttempt(crawl.tenantId(), crawl.startUrl(), now).block(DB_TIMEOUT);
            ScrapeJob job = new ScrapeJob(UUID.randomUUID(), crawl.tenantId(), crawl.domain(), crawl.startUrl(),
                    crawl.maxPages(), false, crawl.maxDepth(), crawl.include(), crawl.exclude(),
                    crawl.defaultExcludes(), crawl.recrawlInterval(), true, ScrapeJob.PENDING, null,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            try {
                service.enqueue(job).block(DB_TIMEOUT);
                started.add(job.id());
                log.info("scheduled re-crawl {} of {} for tenant {}", job.id(), crawl.startUrl(), crawl.tenantId());
            } catch (RuntimeException e) {
                log.warn("could not start the scheduled re-crawl of {} for tenant {}: {}", crawl.startUrl(),
                        crawl.tenantId(), e.getMessage());
            }
        }
        return started;
    }
}
