-- Crawl jobs, the page store and each job's pages.

CREATE TABLE scrape_jobs (
    id               uuid PRIMARY KEY,
    tenant_id        text        NOT NULL,
    domain           text        NOT NULL,
    start_url        text        NOT NULL,
    max_pages        integer     NOT NULL CHECK (max_pages > 0),
    force_rescrape   boolean     NOT NULL DEFAULT false,
    status           text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    error            text,
    -- URLs crawler4j scheduled for fetching (in scope, allowed by robots.txt, within max_pages)
    pages_discovered integer     NOT NULL DEFAULT 0,
    crawl_finished   boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);

CREATE INDEX scrape_jobs_tenant_created ON scrape_jobs (tenant_id, created_at DESC);
CREATE INDEX scrape_jobs_unfinished ON scrape_jobs (status) WHERE status IN ('pending', 'running');

-- The latest fetched version of every page of a tenant. indexed_hash is the content hash search-service
-- last reported as indexed: a page fetched again with that hash is not re-published.
CREATE TABLE pages (
    tenant_id    text        NOT NULL,
    url          text        NOT NULL,
    title        text        NOT NULL DEFAULT '',
    text         text        NOT NULL,
    content_hash text        NOT NULL,
    indexed_hash text,
    fetched_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, url)
);

-- One row per page a job fetched (content_hash set) or could not fetch (content_hash null, state failed).
CREATE TABLE job_pages (
    job_id       uuid        NOT NULL REFERENCES scrape_jobs (id) ON DELETE CASCADE,
    url          text        NOT NULL,
    content_hash text,
    state        text        NOT NULL CHECK (state IN ('scraped', 'embedded', 'indexed', 'failed')),
    error        text,
    -- set by the first embed.chunks-embedded.v1 event of the page, whatever order the events arrive in
    embedded_at  timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, url)
);
