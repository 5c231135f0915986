package dev.concierge.chat.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secrets tenants hand to the platform, such as their own LLM API key ({@code concierge.tenant-secrets.*}).
 *
 * @param key base64 of the 32-byte AES key gateway-service encrypts them with ({@code TENANT_SECRETS_KEY}, the
 *            same for both services). Blank: the fixed development key, with a warning
 */
@ConfigurationProperties("concierge.tenant-secrets")
public record TenantSecretsProperties(String key) {
}
