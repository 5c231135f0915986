package dev.concierge.commerce.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * commerce-service settings ({@code commerce.*}, each from an environment variable in application.yml).
 *
 * @param encryptionKey        base64 of 32 bytes (AES-256) sealing store credentials; empty = an ephemeral dev key
 * @param requireEncryptionKey refuse to start without {@code encryptionKey} (set in production)
 * @param syncInterval         how often each connected store is synced incrementally
 * @param fullSyncInterval     how often a full sync (which also finds products deleted in the store) runs instead
 * @param liveTtl              how long live stock read from a store is reused
 * @param publicUrl            this service's public base URL as the store reaches it (webhook delivery URLs)
 * @param connectTimeout       TCP connect timeout towards stores
 * @param requestTimeout       time limit of one request to a store
 * @param liveTimeout          time limit of a live stock read before the synced value is answered instead
 * @param maxRetries           retries of a GET after 429/5xx/timeouts
 * @param retryBackoff         first retry delay (doubles each time)
 * @param maxRetryAfter        longest {@code Retry-After} honoured
 * @param lookupSessionLimit   failed order lookups allowed per session per {@code lookupWindow}
 * @param lookupTenantLimit    failed order lookups allowed per tenant per {@code lookupWindow}
 * @param lookupWindow         the window of both lookup limits
 * @param allowPrivateHosts    allow store URLs on loopback/private addresses (tests, local demo stores)
 * @param syncLease            how long a running sync holds its store against other instances without renewing
 *                             (renewed every quarter of it); a sync whose instance died is taken over after this
 */
@ConfigurationProperties("commerce")
public record CommerceProperties(
        String encryptionKey,
        boolean requireEncryptionKey,
        Duration syncInterval,
        Duration fullSyncInterval,
        Duration liveTtl,
        String publicUrl,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration liveTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration maxRetryAfter,
        int lookupSessionLimit,
        int lookupTenantLimit,
        Duration lookupWindow,
        boolean allowPrivateHosts,
        Duration syncLease) {
}
