package dev.concierge.scraper.jobs;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Crawl jobs over HTTP, behind the gateway (which sets the identity headers). */
@RestController
@RequestMapping("/api/scrape")
class ScrapeController {

    static final String TENANT_ID = "X-Tenant-Id";
    static final String TENANT_DOMAIN = "X-Tenant-Domain";
    static final String ROLE = "X-Concierge-Role";

    private final ScrapeJobService service;

    ScrapeController(ScrapeJobService service) {
        this.service = service;
    }

    @PostMapping
    Mono<ResponseEntity<JobAccepted>> start(
            @RequestHeader(name = TENANT_ID, required = false) String tenantId,
            @RequestHeader(name = TENANT_DOMAIN, required = false) String tenantDomain,
            @RequestHeader(name = ROLE, required = false) String role,
            @RequestBody(required = false) ScrapeRequest request) {
        return service.start(new Caller(tenantId, tenantDomain, role), request)
                .map(job -> ResponseEntity.accepted()
                        .location(URI.create("/api/scrape/" + job.id()))
                        .body(new JobAccepted(job.id(), job.status())));
    }

    /** The caller's jobs, newest first ({@code limit} 1..100, default 20). */
    @GetMapping
    Mono<JobList> list(
            @RequestHeader(name = TENANT_ID, required = false) String tenantId,
            @RequestHeader(name = TENANT_DOMAIN, required = false) String tenantDomain,
            @RequestHeader(name = ROLE, required = false) String role,
            @RequestParam(name = "domain", required = false) String domain,
            @RequestParam(name = "limit", required = false) String limit) {
        return service.list(new Caller(tenantId, tenantDomain, role), domain, limit);
    }

    @GetMapping("/{jobId}")
    Mono<ScrapeJobView> get(
            @RequestHeader(name = TENANT_ID, required = false) String tenantId,
            @RequestHeader(name = TENANT_DOMAIN, required = false) String tenantDomain,
            @RequestHeader(name = ROLE, required = false) String role,
            @PathVariable String jobId) {
        return service.find(new Caller(tenantId, tenantDomain, role), jobId);
    }

    /** Cancels a pending or running job: 202 with the job, 409 when it has already finished. */
    @DeleteMapping("/{jobId}")
    Mono<ResponseEntity<ScrapeJobView>> cancel(
            @RequestHeader(name = TENANT_ID, required = false) String tenantId,
            @RequestHeader(name = TENANT_DOMAIN, required = false) String tenantDomain,
            @RequestHeader(name = ROLE, required = false) String role,
            @PathVariable String jobId) {
        return service.cancel(new Caller(tenantId, tenantDomain, role), jobId)
                .map(view -> ResponseEntity.accepted().body(view));
    }
}
