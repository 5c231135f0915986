-- Tenant settings: the rate-limit plan (a name from concierge.rate-limit.plans) and the address shoppers are
-- handed over to. allowed_origins (V1) now decides which browser origins may use the widget key.
ALTER TABLE tenants
    ADD COLUMN rate_limit_plan text NOT NULL DEFAULT 'standard',
    ADD COLUMN support_email   text;

ALTER TABLE tenants
    ADD CONSTRAINT tenants_rate_limit_plan_named CHECK (rate_limit_plan ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    ADD CONSTRAINT tenants_support_email_sane
        CHECK (support_email IS NULL OR (length(support_email) <= 254 AND support_email LIKE '_%@_%'));

-- Until now allowed_origins was stored but not enforced, and an empty list was simply the default. From now on
-- the widget works only from allowed origins: give those tenants the new default, their own site.
UPDATE tenants
SET allowed_origins = ARRAY['https://' || domain, 'https://www.' || domain]
WHERE allowed_origins = '{}';

-- Keys replaced by a rotation, still accepted until expires_at (the grace period). Only hashes, like the
-- current keys in tenants. Expired rows are purged at the next rotation.
CREATE TABLE retired_tenant_keys (
    key_hash   text        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    key_prefix text        NOT NULL,
    retired_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT retired_tenant_keys_kind_known CHECK (kind IN ('api_key', 'widget_key'))
);

CREATE INDEX retired_tenant_keys_tenant ON retired_tenant_keys (tenant_id);
