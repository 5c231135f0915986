package dev.concierge.commerce.connection;

import java.time.Instant;

/** A tenant's row in {@code store_connections}; the {@code *Enc} fields are sealed by {@link CredentialCipher}. */
public record StoreConnection(String tenantId, String platform, String storeUrl, String status, Instant connectedAt,
                              String currency, Instant lastSyncAt, Instant lastFullSyncAt, String lastError,
                              String consumerKeyEnc, String consumerSecretEnc, String webhookSecretEnc, String keyId) {

    public boolean hasCredentials() {
        return consumerKeyEnc != null && consumerSecretEnc != null;
    }

    @Override
    public String toString() {
        return "StoreConnection[tenantId=" + tenantId + ", storeUrl=" + storeUrl + ", status=" + status + "]";
    }
}
