package dev.concierge.chat.tenants;

import dev.concierge.chat.config.TenantSecretsProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens the secrets gateway-service sealed for a tenant (its own LLM API key, {@code llm.api_key_encrypted} of
 * tenant.tenant-updated.v1): AES-256-GCM under {@code TENANT_SECRETS_KEY}, base64({@code nonce || ciphertext}),
 * a 12-byte nonce, the 128-bit tag at the end, the tenant id as associated data. chat-service keeps them sealed
 * and opens one only to build the tenant's model client.
 * <p>
 * Without {@code TENANT_SECRETS_KEY} the fixed development key is used (the gateway's default too), with a
 * warning at start-up: anyone can read it in the source, so set the variable everywhere but on a laptop.
 */
@Component
public class TenantSecrets {

    private static final Logger log = LoggerFactory.getLogger(TenantSecrets.class);
    /** The development key: public, for local runs and tests only. The same in gateway-service. */
    static final String DEVELOPMENT_KEY = "LOCIlimbzuHJSUATfJXuacN6a+2V1KSSFDe+ht/ONeY=";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    @Autowired
    public TenantSecrets(TenantSecretsProperties properties) {
        this(configuredKey(properties == null ? null : properties.key()));
    }

    TenantSecrets(byte[] rawKey) {
        if (rawKey.length != 32) {
            throw new IllegalStateException("TENANT_SECRETS_KEY must be base64 of exactly 32 bytes, not " + rawKey.length);
        }
        this.key = new SecretKeySpec(rawKey, "AES");
    }

    /** With the development key and no warning: for tests and for the constructors of services built by hand. */
    public static TenantSecrets development() {
        return new TenantSecrets(Base64.getDecoder().decode(DEVELOPMENT_KEY));
    }

    private static byte[] configuredKey(String configured) {
        if (configured == null || configured.isBlank()) {
            log.warn("TENANT_SECRETS_KEY is not set: tenants' own LLM API keys are read with the public development "
                    + "key. Set TENANT_SECRETS_KEY (openssl rand -base64 32), the same as gateway-service's, outside "
                    + "development.");
            return Base64.getDecoder().decode(DEVELOPMENT_KEY);
        }
        try {
            return Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TENANT_SECRETS_KEY is not valid base64");
        }
    }

    /**
     * The secret gateway-service sealed for {@code tenantId}.
     *
     * @throws IllegalArgumentException when it was sealed with another key or for another tenant, or was altered
     *                                  (the message never carries the value)
     */
    public String decrypt(String sealed, String tenantId) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("the sealed value is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the sealed value does not open with TENANT_SECRETS_KEY for this tenant");
        }
    }
}
