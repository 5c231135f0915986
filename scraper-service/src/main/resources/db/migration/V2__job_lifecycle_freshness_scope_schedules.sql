-- Job lifecycle, freshness (conditional re-fetch, removals), crawl scope and scheduled re-crawls.

ALTER TABLE scrape_jobs
    ADD COLUMN max_depth          integer NOT NULL DEFAULT 10 CHECK (max_depth BETWEEN 0 AND 50),
    ADD COLUMN include_patterns   text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN exclude_patterns   text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN default_excludes   boolean NOT NULL DEFAULT true,
    -- null: no scheduled re-crawl
    ADD COLUMN recrawl_interval_s bigint  CHECK (recrawl_interval_s IS NULL OR recrawl_interval_s >= 3600),
    ADD COLUMN scheduled          boolean NOT NULL DEFAULT false;

-- One unfinished job per tenant and start URL: a second POST is refused with 409 naming the first.
CREATE UNIQUE INDEX scrape_jobs_one_unfinished ON scrape_jobs (tenant_id, start_url)
    WHERE status IN ('pending', 'running');

-- What the page was last served with (for If-None-Match / If-Modified-Since), the URL it was fetched
-- from (its canonical URL may differ) and its same-site links (followed when it answers 304).
ALTER TABLE pages
    ADD COLUMN fetched_url   text,
    ADD COLUMN etag          text,
    ADD COLUMN last_modified text,
    ADD COLUMN links         text[];

-- removed: the page was dropped from the store (error says gone or unlinked);
-- skipped: fetched but not processed (error says why: not HTML, too large).
ALTER TABLE job_pages DROP CONSTRAINT job_pages_state_check;
ALTER TABLE job_pages ADD CONSTRAINT job_pages_state_check
    CHECK (state IN ('scraped', 'embedded', 'indexed', 'failed', 'removed', 'skipped'));

-- The parameters of the last completed job per tenant and start URL; the recrawl scheduler starts a
-- non-forced job with them once recrawl_interval_s has passed since the later of the last finished job
-- and the last scheduled attempt.
CREATE TABLE crawl_schedules (
    tenant_id          text        NOT NULL,
    start_url          text        NOT NULL,
    domain             text        NOT NULL,
    max_pages          integer     NOT NULL,
    max_depth          integer     NOT NULL,
    include_patterns   text[]      NOT NULL,
    exclude_patterns   text[]      NOT NULL,
    default_excludes   boolean     NOT NULL,
    recrawl_interval_s bigint,
    last_job_id        uuid        NOT NULL,
    last_finished_at   timestamptz NOT NULL,
    last_attempt_at    timestamptz,
    PRIMARY KEY (tenant_id, start_url)
);
