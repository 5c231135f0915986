-- The settings of each tenant chat-service needs, as the gateway last published them on
-- tenant.tenant-updated.v1 (the gateway's registry stays the source of truth; this is a cache that
-- survives restarts). A later updated_at wins, so a replayed older event changes nothing.
CREATE TABLE tenant_settings (
    tenant_id     text PRIMARY KEY,
    name          text,
    status        text NOT NULL,
    support_email text,
    updated_at    timestamptz NOT NULL
);
