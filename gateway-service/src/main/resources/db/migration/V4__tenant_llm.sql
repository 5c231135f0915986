-- The tenant's choice of language model; all NULL: the platform's default. 'offline': the extractive responder,
-- never a model. 'openai': an OpenAI-compatible endpoint with the tenant's own API key, stored only encrypted
-- (AES-256-GCM under TENANT_SECRETS_KEY, base64 of nonce || ciphertext) plus its last 4 characters to tell keys
-- apart (NULL for keys too short to show any).
ALTER TABLE tenants
    ADD COLUMN llm_provider          text,
    ADD COLUMN llm_base_url          text,
    ADD COLUMN llm_model             text,
    ADD COLUMN llm_api_key_encrypted text,
    ADD COLUMN llm_api_key_hint      text;

ALTER TABLE tenants
    ADD CONSTRAINT tenants_llm_provider_known CHECK (llm_provider IS NULL OR llm_provider IN ('offline', 'openai')),
    ADD CONSTRAINT tenants_llm_openai_complete CHECK (
        CASE WHEN llm_provider = 'openai'
             THEN llm_base_url IS NOT NULL AND llm_model IS NOT NULL AND llm_api_key_encrypted IS NOT NULL
             ELSE llm_base_url IS NULL AND llm_model IS NULL AND llm_api_key_encrypted IS NULL
                  AND llm_api_key_hint IS NULL
        END),
    ADD CONSTRAINT tenants_llm_api_key_hint_short CHECK (llm_api_key_hint IS NULL OR length(llm_api_key_hint) <= 4);
