package dev.concierge.contracts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed form of a tenant's secret as it travels in {@code llm.api_key_encrypted} of
 * {@code tenant.tenant-updated.v1} (gateway-service seals, chat-service opens): AES-256-GCM under
 * {@code TENANT_SECRETS_KEY}, a fresh random 12-byte nonce per value, the tenant id as associated data (a value
 * copied to another tenant does not open), base64({@code nonce || ciphertext}) with the 128-bit tag at the end.
 * Part of the event's wire contract, so both sides share this one implementation. JDK only.
 */
public final class SealedSecrets {

    /** The development key: public, for local runs and tests only; used when {@code TENANT_SECRETS_KEY} is unset. */
    public static final String DEVELOPMENT_KEY = "LOCIlimbzuHJSUATfJXuacN6a+2V1KSSFDe+ht/ONeY=";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param rawKey the 32 bytes of the AES-256 key */
    public SealedSecrets(byte[] rawKey) {
        if (rawKey == null || rawKey.length != 32) {
            throw new IllegalStateException("TENANT_SECRETS_KEY must be base64 of exactly 32 bytes, not "
                    + (rawKey == null ? 0 : rawKey.length));
        }
        this.key = new SecretKeySpec(rawKey, "AES");
    }

    /**
     * The key configured as base64 ({@code TENANT_SECRETS_KEY}); null or blank means the development key.
     *
     * @throws IllegalStateException when it is not base64 of 32 bytes
     */
    public static SealedSecrets fromConfigured(String base64) {
        if (isUnset(base64)) {
            return new SealedSecrets(Base64.getDecoder().decode(DEVELOPMENT_KEY));
        }
        try {
            return new SealedSecrets(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TENANT_SECRETS_KEY is not valid base64");
        }
    }

    public static boolean isUnset(String base64) {
        return base64 == null || base64.isBlank();
    }

    /** {@code secret} sealed for {@code tenantId}. */
    public String seal(String secret, String tenantId) {
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
     * The secret sealed for {@code tenantId}.
     *
     * @throws IllegalArgumentException when it was sealed with another key or for another tenant, was altered or is
     *                                  not base64 (the message never carries the value)
     */
    public String open(String sealed, String tenantId) {
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
