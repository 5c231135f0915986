package dev.concierge.chat.tenants;

import dev.concierge.chat.config.TenantSecretsProperties;
import dev.concierge.contracts.SealedSecrets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens the secrets gateway-service sealed for a tenant (its own LLM API key, {@code llm.api_key_encrypted} of
 * tenant.tenant-updated.v1) with {@code TENANT_SECRETS_KEY}; the sealed form is the event's, {@link SealedSecrets}.
 * chat-service keeps them sealed and opens one only to build the tenant's model client.
 * <p>
 * Without {@code TENANT_SECRETS_KEY} the public development key is used (the gateway's default too), with a
 * warning at start-up: set the variable everywhere but on a laptop.
 */
@Component
public class TenantSecrets {

    private static final Logger log = LoggerFactory.getLogger(TenantSecrets.class);

    private final SealedSecrets sealed;

    @Autowired
    public TenantSecrets(TenantSecretsProperties properties) {
        String configured = properties == null ? null : properties.key();
        if (SealedSecrets.isUnset(configured)) {
            log.warn("TENANT_SECRETS_KEY is not set: tenants' own LLM API keys are read with the public development "
                    + "key. Set TENANT_SECRETS_KEY (openssl rand -base64 32), the same as gateway-service's, outside "
                    + "development.");
        }
        this.sealed = SealedSecrets.fromConfigured(configured);
    }

    TenantSecrets(byte[] rawKey) {
        this.sealed = new SealedSecrets(rawKey);
    }

    /** With the development key and no warning: for tests and for the constructors of services built by hand. */
    public static TenantSecrets development() {
        return new TenantSecrets(Base64.getDecoder().decode(SealedSecrets.DEVELOPMENT_KEY));
    }

    /**
     * The secret gateway-service sealed for {@code tenantId}.
     *
     * @throws IllegalArgumentException when it was sealed with another key or for another tenant, or was altered
     *                                  (the message never carries the value)
     */
    public String decrypt(String sealedValue, String tenantId) {
        return sealed.open(sealedValue, tenantId);
    }
}
