package dev.concierge.scraper.jobs;

import dev.concierge.contracts.PageIndexed;
import dev.concierge.scraper.jobs.internal.JobPageRepository;
import dev.concierge.scraper.jobs.internal.ScrapeJobRepository;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Page outcomes reported by the pipeline, applied to the job's pages; a job completes when its crawl
 * has finished and every page is indexed or failed. Idempotent: outcomes never leave a final state, and
 * counters are counted from page states, so a re-delivered event changes nothing. Blocking: for Kafka
 * listener threads.
 */
@Service
public class JobProgress {

    private static final Logger log = LoggerFactory.getLogger(JobProgress.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final JobPageRepository pages;
    private final ScrapeJobRepository jobs;

    public JobProgress(JobPageRepository pages, ScrapeJobRepository jobs) {
        this.pages = pages;
        this.jobs = jobs;
    }

    /** The page's chunks were embedded, or with {@code error}, could not be. */
    public void pageEmbedded(String tenantId, String jobId, String url, String contentHash, String model, String error) {
        UUID job = jobId(jobId, url, tenantId);
        if (blankToNull(error) == null && contentHash != null && model != null) {
            pages.recordEmbeddedModel(tenantId, url, contentHash, model).block(DB_TIMEOUT);
        }
        boolean known = Boolean.TRUE.equals(pages.markEmbedded(job, url, blankToNull(error)).block(DB_TIMEOUT));
        settle(job, url, known);
    }

    /** The page's outcome in the index: {@code indexed} or {@code failed}. */
    public void pageIndexed(String tenantId, String jobId, String url, String contentHash, String status, String error) {
        UUID job = jobId(jobId, url, tenantId);
        if (!PageIndexed.INDEXED.equals(status) && !PageIndexed.FAILED.equals(status)) {
            throw new IllegalArgumentException("page-indexed event with status " + status);
        }
        if (PageIndexed.INDEXED.equals(status)) {
            if (contentHash == null) {
                throw new IllegalArgumentException("page-indexed event without content_hash");
            }
            pages.recordIndexedHash(tenantId, url, contentHash).block(DB_TIMEOUT);
        }
        String state = PageIndexed.INDEXED.equals(status) ? JobPageRepository.INDEXED : JobPageRepository.FAILED;
        String reason = state.equals(JobPageRepository.FAILED) && blankToNull(error) == null ? "indexing failed" : blankToNull(error);
        boolean changed = Boolean.TRUE.equals(pages.markOutcome(job, url, state, reason).block(DB_TIMEOUT));
        settle(job, url, changed);
    }

    private void settle(UUID job, String url, boolean known) {
        if (!known) {
            log.debug("no unsettled page {} in job {}; nothing to do", url, job);
            return;
        }
        if (Boolean.TRUE.equals(jobs.completeIfSettled(job).block(DB_TIMEOUT))) {
            log.info("job {} completed", job);
        }
    }

    private static UUID jobId(String jobId, String url, String tenantId) {
        if (jobId == null || url == null || tenantId == null) {
            throw new IllegalArgumentException("progress event without tenant_id, job_id or url");
        }
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("progress event with job_id " + jobId + ", which is not a UUID", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
