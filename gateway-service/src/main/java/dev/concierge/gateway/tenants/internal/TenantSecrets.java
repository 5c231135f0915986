package dev.concierge.gateway.tenants.internal;

import dev.concierge.contracts.SealedSecrets;
import dev.concierge.gateway.config.TenantSecretsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Seals a tenant's secrets (its own LLM API key) for the database and for {@code tenant.tenant-updated.v1} with
 * {@code TENANT_SECRETS_KEY}, in the event's sealed form ({@link SealedSecrets}: AES-256-GCM, a fresh nonce per
 * value, the tenant id as associated data); chat-service opens them with the same key.
 * <p>
 * Without {@code TENANT_SECRETS_KEY} the public development key is used (and a warning logged at start-up), so
 * {@code ./concierge up} and the tests need no setup and the gateway and chat-service agree; it protects nothing:
 * set the variable everywhere else.
 */
@Component
public class TenantSecrets {

    private static final Logger log = LoggerFactory.getLogger(TenantSecrets.class);

    private final SealedSecrets sealed;

    @Autowired
    public TenantSecrets(TenantSecretsProperties properties) {
        if (SealedSecrets.isUnset(properties.key())) {
            log.warn("TENANT_SECRETS_KEY is not set: tenants' LLM API keys are encrypted with the public development "
                    + "key. Set TENANT_SECRETS_KEY (openssl rand -base64 32), the same for gateway-service and "
                    + "chat-service, outside development.");
        }
        this.sealed = SealedSecrets.fromConfigured(properties.key());
    }

    TenantSecrets(byte[] rawKey) {
        this.sealed = new SealedSecrets(rawKey);
    }

    /** {@code secret} sealed for {@code tenantId}: base64(nonce || ciphertext). */
    public String encrypt(String secret, String tenantId) {
        return sealed.seal(secret, tenantId);
    }

    /**
     * The secret {@link #encrypt} sealed for {@code tenantId}.
     *
     * @throws IllegalArgumentException when it was sealed with another key or for another tenant, or was altered
     *                                  (the message never carries the value)
     */
    public String decrypt(String sealedValue, String tenantId) {
        return sealed.open(sealedValue, tenantId);
    }
}
