-- The tenant's choice of language model, from tenant.tenant-updated.v1's llm (all NULL: the platform's default).
-- The tenant's API key stays as the gateway sealed it (AES-GCM under TENANT_SECRETS_KEY); chat-service opens it
-- only to build the tenant's model client.
ALTER TABLE tenant_settings
    ADD COLUMN llm_provider          text,
    ADD COLUMN llm_base_url          text,
    ADD COLUMN llm_model             text,
    ADD COLUMN llm_api_key_encrypted text;
