-- Domain verification: the token a tenant must publish (on its site or in DNS) and, once found, when and how
-- the domain was verified. The token is no secret (the tenant publishes it); a new one replaces the old.
ALTER TABLE tenants
    ADD COLUMN verification_token           text,
    ADD COLUMN verification_token_issued_at timestamptz,
    ADD COLUMN verified_at                  timestamptz,
    ADD COLUMN verification_method          text,
    -- when the tenant last changed (settings, status, verification, keys): the updated_at of its events
    ADD COLUMN updated_at                   timestamptz NOT NULL DEFAULT now();

ALTER TABLE tenants
    ADD CONSTRAINT tenants_verification_method_known
        CHECK (verification_method IS NULL OR verification_method IN ('well_known_file', 'dns_txt', 'meta_tag')),
    ADD CONSTRAINT tenants_verified_with_method CHECK ((verified_at IS NULL) = (verification_method IS NULL)),
    ADD CONSTRAINT tenants_verification_token_issued
        CHECK ((verification_token IS NULL) = (verification_token_issued_at IS NULL));

UPDATE tenants SET updated_at = created_at;

-- tenant.tenant-updated.v1 events not yet acknowledged by Kafka (transactional outbox): written in the same
-- transaction as the change they describe, published in seq order and deleted once Kafka acknowledged them.
-- No foreign key: an event describes a tenant as it was and is published even if the row is gone.
CREATE TABLE tenant_event_outbox (
    seq        bigserial   PRIMARY KEY,
    event_id   uuid        NOT NULL UNIQUE,
    tenant_id  uuid        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
