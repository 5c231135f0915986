package dev.concierge.scraper.jobs;

import dev.concierge.scraper.jobs.internal.CrawlJobRunner;
import dev.concierge.scraper.jobs.internal.ScrapeJobRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Starting crawl jobs and reading them back, for the HTTP API. Non-blocking. */
@Service
public class ScrapeJobService {

    private final ScrapeRequestValidator validator;
    private final ScrapeJobRepository jobs;
    private final CrawlJobRunner runner;

    public ScrapeJobService(ScrapeRequestValidator validator, ScrapeJobRepository jobs, CrawlJobRunner runner) {
        this.validator = validator;
        this.jobs = jobs;
        this.runner = runner;
    }

    /** Validates, stores the job as pending and queues it. */
    public Mono<ScrapeJob> start(Caller caller, ScrapeRequest request) {
        return Mono.fromCallable(() -> validator.validate(caller, request))
                .flatMap(valid -> Mono.fromRunnable(() -> validator.checkAddress(valid))
                        .subscribeOn(Schedulers.boundedElastic())
                        .thenReturn(valid))
                .map(valid -> new ScrapeJob(UUID.randomUUID(), valid.tenantId(), valid.domain(), valid.startUrl(),
                        valid.maxPages(), valid.forceRescrape(), ScrapeJob.PENDING, null,
                        Instant.now().truncatedTo(ChronoUnit.MICROS)))
                .flatMap(job -> jobs.insert(job).thenReturn(job))
                .flatMap(job -> {
                    try {
                        runner.submit(job);
                        return Mono.just(job);
                    } catch (RejectedExecutionException e) {
                        return jobs.fail(job.id(), "too many crawls queued").then(Mono.error(new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too many crawls",
                                "too many crawls are queued; try again later", List.of())));
                    }
                });
    }

    /** The job with its counters, if the caller may see it: admins any, others their tenant's. */
    public Mono<ScrapeJobView> find(Caller caller, String jobId) {
        if (caller.isWidget()) {
            return Mono.error(ApiException.forbidden("widget keys cannot read crawl jobs"));
        }
        if (!caller.isAdmin() && caller.tenantId() == null) {
            return Mono.error(ApiException.unauthenticated("the request carries no tenant (X-Tenant-Id)"));
        }
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return Mono.error(ApiException.invalid("job_id", "must be a UUID"));
        }
        return jobs.findView(id, caller.isAdmin() ? null : caller.tenantId())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no crawl job " + id)));
    }
}
