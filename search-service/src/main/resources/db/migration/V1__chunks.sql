create extension if not exists vector;

-- One row per chunk. A page's chunks are replaced as a whole when it is re-indexed.
create table chunks (
    tenant_id    text        not null,
    url          text        not null,
    chunk_index  int         not null,
    title        text        not null default '',
    heading      text,
    content      text        not null,
    content_hash text        not null,
    model        text        not null,
    embedding    vector(384) not null,
    tsv          tsvector generated always as (
                     setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                     setweight(to_tsvector('english', coalesce(heading, '')), 'B') ||
                     setweight(to_tsvector('english', content), 'C')) stored,
    indexed_at   timestamptz not null default now(),
    primary key (tenant_id, url, chunk_index)
);

create index chunks_embedding_hnsw on chunks using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64);
create index chunks_tsv on chunks using gin (tsv);
create index chunks_tenant_model on chunks (tenant_id, model);

-- One row per indexed page: what the index holds for it and when it got there.
create table pages (
    tenant_id    text        not null,
    url          text        not null,
    title        text        not null default '',
    content_hash text        not null,
    model        text        not null,
    chunk_count  int         not null,
    job_id       text        not null,
    indexed_at   timestamptz not null default now(),
    primary key (tenant_id, url)
);
