-- A tenant's connection to its store platform. Credentials are added, encrypted, when connecting
-- stores is built; until then no row exists and every tenant reads as not connected.
create table store_connections (
    tenant_id    text        primary key,
    platform     text        not null,  -- woocommerce
    store_url    text        not null,
    status       text        not null,  -- connected | failing
    connected_at timestamptz not null default now()
);
