package dev.concierge.gateway.tenants.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.TenantSecretsProperties;

/**
 * Encrypts a tenant's secrets (its own LLM API key) for the database and for {@code tenant.tenant-updated.v1}:
 * AES-256-GCM under {@code TENANT_SECRETS_KEY}, a fresh random 12-byte nonce per value, the tenant id as
 * associated data (a value copied to another tenant does not open). Sealed form: base64({@code nonce ||
 * ciphertext}), the 128-bit tag at the end of the ciphertext; chat-service opens it with the same key.
 * <p>
 * Without {@code TENANT_SECRETS_KEY} a fixed development key is used (and a warning logged at start-up), so
 * {@code ./concierge up} and the tests need no setup and the gateway and chat-service agree; anyone can read
 * the source, so it protects nothing: set the variable everywhere else.
 */
@Component
public class TenantSecrets {

    private static final Logger log = LoggerFactory.getLogger(TenantSecrets.class);
    /** The development key: public, for local runs and tests only. The same in chat-service. */
    static final String DEVELOPMENT_KEY = "LOCIlimbzuHJSUATfJXuacN6a+2V1KSSFDe+ht/ONeY=";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    public TenantSecrets(TenantSecretsProperties properties) {
        this(configuredKey(properties.key()));
    }

    TenantSecrets(byte[] rawKey) {
        if (rawKey.length != 32) {
            throw new IllegalStateException("TENANT_SECRETS_KEY must be base64 of exactly 32 bytes, not "
                    + rawKey.length);
        }
        this.key = new SecretKeySpec(rawKey, "AES");
    }

    private static byte[] configuredKey(String configured) {
        if (configured == null || configured.isBlank()) {
            log.warn("TENANT_SECRETS_KEY is not set: tenants' LLM API keys are encrypted with the public development "
                    + "key. Set TENANT_SECRETS_KEY (openssl rand -base64 32), the same for gateway-service and "
                    + "chat-service, outside development.");
            return Base64.getDecoder().decode(DEVELOPMENT_KEY);
        }
        try {
            return Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TENANT_SECRETS_KEY is not valid base64");
        }
    }

    /** {@code secret} sealed for {@code tenantId}: base64(nonce || ciphertext). */
    public String encrypt(String secret, String tenantId) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * The secret {@link #encrypt} sealed for {@code tenantId}.
     *
     * @throws IllegalArgumentException when it was sealed with another key or for another tenant, or was altered
     *                                  (the message says which, never the value)
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
