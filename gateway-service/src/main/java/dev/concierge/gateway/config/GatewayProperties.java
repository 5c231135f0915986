package dev.concierge.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings ({@code concierge.*} in application.yml).
 *
 * @param adminKey         the operator key ({@code CONCIERGE_ADMIN_KEY}); blank means the admin key is disabled
 *                         and every request presenting one is refused
 * @param services         base URLs of the services behind the gateway
 * @param tenantCacheTtl   how long a tenant looked up by key or domain is reused without asking the database
 * @param healthTimeout    how long {@code /api/health} waits for each service's readiness
 * @param maxJsonBody      the largest request body accepted on {@code /api/**} (413 above); JSON bodies of routed
 *                         requests are buffered whole to read their {@code domain} field
 */
@ConfigurationProperties("concierge")
public record GatewayProperties(
        String adminKey,
        Services services,
        @DefaultValue("30s") Duration tenantCacheTtl,
        @DefaultValue("2s") Duration healthTimeout,
        @DefaultValue("64KB") DataSize maxJsonBody) {

    public GatewayProperties {
        adminKey = adminKey == null ? "" : adminKey.trim();
        if (maxJsonBody == null || maxJsonBody.toBytes() < 1 || maxJsonBody.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("concierge.max-json-body must be between 1 byte and 2 GB");
        }
        if (services == null) {
            throw new IllegalArgumentException("concierge.services.* must be configured");
        }
    }

    public record Services(URI chat, URI search, URI scraper, URI commerce, URI embeddingWorker) {

        /** Every service by its name ({@code chat-service}, ...), in a stable order. */
        public Map<String, URI> byName() {
            Map<String, URI> byName = new LinkedHashMap<>();
            byName.put("chat-service", chat);
            byName.put("search-service", search);
            byName.put("scraper-service", scraper);
            byName.put("commerce-service", commerce);
            byName.put("embedding-worker", embeddingWorker);
            return byName;
        }
    }
}
