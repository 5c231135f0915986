-- Tenants: one per store domain. Keys are stored only as SHA-256 hashes (hex); the prefixes are the key's
-- type and first characters, kept so operators can tell keys apart.
CREATE TABLE tenants (
    id                uuid        PRIMARY KEY,
    domain            text        NOT NULL,
    name              text        NOT NULL,
    allowed_origins   text[]      NOT NULL DEFAULT '{}',
    status            text        NOT NULL DEFAULT 'active',
    api_key_prefix    text        NOT NULL,
    api_key_hash      text        NOT NULL,
    widget_key_prefix text        NOT NULL,
    widget_key_hash   text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_domain_unique UNIQUE (domain),
    CONSTRAINT tenants_api_key_hash_unique UNIQUE (api_key_hash),
    CONSTRAINT tenants_widget_key_hash_unique UNIQUE (widget_key_hash),
    CONSTRAINT tenants_domain_normalised CHECK (domain = lower(domain) AND domain <> ''),
    CONSTRAINT tenants_status_known CHECK (status IN ('active', 'disabled'))
);
