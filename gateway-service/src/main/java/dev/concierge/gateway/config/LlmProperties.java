package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tenants' own LLM endpoints ({@code concierge.llm.*}), i.e. the {@code llm.base_url} of a tenant.
 *
 * @param allowPrivateHosts whether {@code base_url} may use plain http and name a host on loopback, private,
 *                          link-local or other non-public addresses (SSRF protection off); only for local runs and
 *                          tests with a fake LLM on 127.0.0.1
 * @param dnsTimeout        longest wait for resolving the host of a {@code base_url} being set
 */
@ConfigurationProperties("concierge.llm")
public record LlmProperties(
        @DefaultValue("false") boolean allowPrivateHosts,
        @DefaultValue("3s") Duration dnsTimeout) {

    public LlmProperties {
        if (dnsTimeout == null || dnsTimeout.isNegative() || dnsTimeout.isZero()) {
            throw new IllegalArgumentException("concierge.llm.dns-timeout must be positive");
        }
    }
}
