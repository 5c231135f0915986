package dev.concierge.scraper.jobs;

import dev.concierge.contracts.Domains;
import dev.concierge.scraper.jobs.internal.CrawlJobRunner;
import dev.concierge.scraper.jobs.internal.ScrapeJobRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Starting, listing, reading and cancelling crawl jobs, for the HTTP API and the scheduler. Non-blocking. */
@Service
public class ScrapeJobService {

    static final int DEFAULT_LIST_LIMIT = 20;
    static final int MAX_LIST_LIMIT = 100;

    private final ScrapeRequestValidator validator;
    private final ScrapeJobRepository jobs;
    private final CrawlJobRunner runner;

    public ScrapeJobService(ScrapeRequestValidator validator, ScrapeJobRepository jobs, CrawlJobRunner runner) {
        this.validator = validator;
        this.jobs = jobs;
        this.runner = runner;
    }

    /**
     * Validates, stores the job as pending and queues it. A tenant has at most one pending or running job
     * per start URL: another is refused with 409, naming the unfinished one ({@code running_job_id}).
     */
    public Mono<ScrapeJob> start(Caller caller, ScrapeRequest request) {
        return Mono.fromCallable(() -> validator.validate(caller, request))
                .flatMap(valid -> Mono.fromRunnable(() -> validator.checkAddress(valid))
                        .subscribeOn(Schedulers.boundedElastic())
                        .thenReturn(valid))
                .map(valid -> new ScrapeJob(UUID.randomUUID(), valid.tenantId(), valid.domain(), valid.startUrl(),
                        valid.maxPages(), valid.forceRescrape(), valid.maxDepth(), valid.include(), valid.exclude(),
                        valid.defaultExcludes(), valid.recrawlInterval(), false, ScrapeJob.PENDING, null,
                        Instant.now().truncatedTo(ChronoUnit.MICROS)))
                .flatMap(this::enqueue);
    }

    /** Stores a new pending job and queues it (409 when one is unfinished for its start URL, 503 when busy). */
    public Mono<ScrapeJob> enqueue(ScrapeJob job) {
        return jobs.insert(job)
                .onErrorResume(DataIntegrityViolationException.class, e -> jobs.findUnfinished(job.tenantId(), job.startUrl())
                        .map(running -> ApiException.conflict("a crawl of " + job.startUrl()
                                        + " is already pending or running: job " + running)
                                .with("running_job_id", running.toString()))
                        .defaultIfEmpty(ApiException.conflict("a crawl of " + job.startUrl() + " was started at the same time"))
                        .flatMap(Mono::error))
                .thenReturn(job)
                .flatMap(stored -> {
                    try {
                        runner.submit(stored);
                        return Mono.just(stored);
                    } catch (RejectedExecutionException e) {
                        return jobs.fail(stored.id(), "too many crawls queued").then(Mono.error(new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too many crawls",
                                "too many crawls are queued; try again later", List.of())));
                    }
                });
    }

    /** The job with its counters, if the caller may see it: admins any, others their tenant's. */
    public Mono<ScrapeJobView> find(Caller caller, String jobId) {
        return Mono.fromCallable(() -> visibleTenant(caller, "read"))
                .flatMap(tenant -> jobs.findView(jobId(jobId), caller.isAdmin() ? null : tenant.orElse(null)))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no crawl job " + jobId)));
    }

    /**
     * The caller's jobs, newest first: a tenant's own; an admin's with a tenant (the gateway resolves
     * {@code domain}) that tenant's, without one those of {@code domain}, or all.
     */
    public Mono<JobList> list(Caller caller, String domain, String limit) {
        return Mono.fromCallable(() -> visibleTenant(caller, "list"))
                .flatMap(tenant -> {
                    int n = listLimit(limit);
                    String domainFilter = null;
                    if (tenant.isEmpty() && domain != null && !domain.isBlank()) {
                        domainFilter = Domains.normalise(domain);
                        if (domainFilter == null) {
                            return Mono.error(ApiException.invalid("domain", "is not a domain name"));
                        }
                    }
                    return jobs.list(tenant.orElse(null), domainFilter, n).collectList().map(JobList::new);
                });
    }

    /**
     * Cancels a pending or running job the caller may see: it ends {@code cancelled} and its crawl stops
     * fetching. A finished job is refused with 409.
     */
    public Mono<ScrapeJobView> cancel(Caller caller, String jobId) {
        return find(caller, jobId)
                .flatMap(view -> jobs.cancel(view.jobId())
                        .flatMap(cancelled -> cancelled
                                ? Mono.fromRunnable(() -> runner.cancel(view.jobId()))
                                        .subscribeOn(Schedulers.boundedElastic())
                                        .then(jobs.findView(view.jobId(), null))
                                : jobs.findView(view.jobId(), null).flatMap(now -> Mono.error(ApiException.conflict(
                                        "job " + now.jobId() + " is already " + now.status() + "; only pending or "
                                                + "running jobs can be cancelled").with("status", now.status())))));
    }

    /** The caller's tenant; empty only for an admin without one. */
    private static Optional<String> visibleTenant(Caller caller, String verb) {
        if (caller.isWidget()) {
            throw ApiException.forbidden("widget keys cannot " + verb + " crawl jobs");
        }
        if (!caller.isAdmin() && caller.tenantId() == null) {
            throw ApiException.unauthenticated("the request carries no tenant (X-Tenant-Id)");
        }
        return Optional.ofNullable(caller.tenantId());
    }

    private static UUID jobId(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("job_id", "must be a UUID");
        }
    }

    private static int listLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIST_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= MAX_LIST_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("limit", "must be an integer between 1 and " + MAX_LIST_LIMIT);
    }
}
