package dev.concierge.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secrets tenants hand to the platform, such as their own LLM API key ({@code concierge.tenant-secrets.*}).
 *
 * @param key base64 of the 32-byte AES key they are encrypted with ({@code TENANT_SECRETS_KEY}); every service
 *            that must read them (chat-service) has the same. Blank: a fixed development key, with a warning
 */
@ConfigurationProperties("concierge.tenant-secrets")
public record TenantSecretsProperties(String key) {
}
