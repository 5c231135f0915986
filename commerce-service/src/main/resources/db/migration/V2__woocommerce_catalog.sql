-- Connecting a WooCommerce store: credentials encrypted at rest (AES-256-GCM, see CredentialCipher; each value
-- is base64(nonce || ciphertext+tag), bound to its tenant and column), the synced catalog, sync reports,
-- webhook deliveries already applied, and failed order lookups (enumeration limits).
create extension if not exists pg_trgm;

alter table store_connections
    add column consumer_key_enc    text,
    add column consumer_secret_enc text,
    add column webhook_secret_enc  text,
    add column key_id              text,         -- which encryption key sealed the values (sha-256 prefix)
    add column currency            text,
    add column last_sync_at        timestamptz,  -- start of the last completed sync (next modified_after)
    add column last_full_sync_at   timestamptz,
    add column last_error          text;

create table products (
    tenant_id         text        not null,
    product_id        bigint      not null,
    name              text        not null,
    sku               text,
    type              text,
    status            text        not null,
    price             numeric(14, 4),
    regular_price     numeric(14, 4),
    sale_price        numeric(14, 4),
    currency          text,
    stock_status      text,
    stock_quantity    integer,
    manage_stock      boolean     not null default false,
    categories        text[]      not null default '{}',
    permalink         text,
    short_description text,
    date_modified     timestamptz,
    content_hash      text        not null,
    synced_at         timestamptz not null default now(),
    search_name       text        not null,  -- lower-cased name, for trigram matching
    search_categories text        not null,  -- lower-cased category names
    primary key (tenant_id, product_id)
);
create index products_name_trgm on products using gin (search_name gin_trgm_ops);
create index products_sku on products (tenant_id, lower(sku));

create table product_variations (
    tenant_id      text    not null,
    product_id     bigint  not null,
    variation_id   bigint  not null,
    sku            text,
    attributes     jsonb   not null default '[]',
    price          numeric(14, 4),
    regular_price  numeric(14, 4),
    sale_price     numeric(14, 4),
    stock_status   text,
    stock_quantity integer,
    manage_stock   boolean not null default false,
    primary key (tenant_id, variation_id),
    foreign key (tenant_id, product_id) references products (tenant_id, product_id) on delete cascade
);
create index product_variations_sku on product_variations (tenant_id, lower(sku));

create table sync_runs (
    id          uuid        primary key,
    tenant_id   text        not null,
    mode        text        not null,  -- full | incremental
    status      text        not null,  -- running | completed | failed
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    created     integer     not null default 0,
    updated     integer     not null default 0,
    deleted     integer     not null default 0,
    unchanged   integer     not null default 0,
    rejected    integer     not null default 0,
    rejections  jsonb       not null default '[]',
    error       text
);
create index sync_runs_tenant on sync_runs (tenant_id, started_at desc);

create table webhook_deliveries (
    tenant_id    text        not null,
    delivery_id  text        not null,
    received_at  timestamptz not null default now(),
    primary key (tenant_id, delivery_id)
);

create table order_lookup_failures (
    tenant_id  text        not null,
    session_id text        not null,
    failed_at  timestamptz not null default now()
);
create index order_lookup_failures_window on order_lookup_failures (tenant_id, failed_at);
