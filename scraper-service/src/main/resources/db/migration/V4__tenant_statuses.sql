-- Each tenant's status as gateway-service last published it on tenant.tenant-updated.v1 (one row per tenant that
-- ever sent an event). Scheduled re-crawls skip disabled tenants. updated_at is the gateway's time of the change:
-- an older event (a replay, a redelivery) never overwrites a newer one.
CREATE TABLE tenant_statuses (
    tenant_id  text        PRIMARY KEY,
    status     text        NOT NULL CHECK (status IN ('active', 'disabled')),
    updated_at timestamptz NOT NULL
);
