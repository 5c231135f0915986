package dev.concierge.commerce.connection;

import dev.concierge.commerce.config.CommerceProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seals store credentials at rest: AES-256-GCM, a fresh random 12-byte nonce per value, and the tenant id plus
 * the column name as associated data, so a sealed value copied to another row or column does not open.
 * Stored form: base64(nonce || ciphertext || 16-byte tag).
 * <p>
 * Key: {@code COMMERCE_ENCRYPTION_KEY} (base64 of 32 bytes). Without it a random key is generated and a WARN
 * logged once: the service still starts with the platform's local defaults ({@code ./concierge up} needs no
 * setup), but what it seals cannot be opened after a restart, and the connection then reads as
 * {@code credentials_unreadable} (reconnect). Production sets {@code COMMERCE_REQUIRE_ENCRYPTION_KEY=true}
 * so a missing key stops start-up instead of silently losing every store's credentials on the next deploy.
 */
@Component
public class CredentialCipher {

    private static final Logger log = LoggerFactory.getLogger(CredentialCipher.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    @org.springframework.beans.factory.annotation.Autowired
    public CredentialCipher(CommerceProperties props) {
        this(keyFrom(props.encryptionKey(), props.requireEncryptionKey()));
    }

    CredentialCipher(byte[] rawKey) {
        if (rawKey.length != 32) {
            throw new IllegalStateException("COMMERCE_ENCRYPTION_KEY must be base64 of exactly 32 bytes, got " + rawKey.length);
        }
        this.key = new SecretKeySpec(rawKey, "AES");
        this.keyId = keyIdOf(rawKey);
    }

    private static byte[] keyFrom(String configured, boolean required) {
        if (configured != null && !configured.isBlank()) {
            try {
                return Base64.getDecoder().decode(configured.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("COMMERCE_ENCRYPTION_KEY is not valid base64");
            }
        }
        if (required) {
            throw new IllegalStateException("COMMERCE_ENCRYPTION_KEY is not set and COMMERCE_REQUIRE_ENCRYPTION_KEY=true");
        }
        log.warn("COMMERCE_ENCRYPTION_KEY is not set: store credentials are sealed with an ephemeral key and cannot be "
                + "read after a restart. Set COMMERCE_ENCRYPTION_KEY (openssl rand -base64 32) outside development.");
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        return generated;
    }

    /** Identifies the key without revealing it: the first 16 hex digits of SHA-256 of the key. */
    public String keyId() {
        return keyId;
    }

    public String seal(String plaintext, String tenantId, String column) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(tenantId, column));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JVM", e);
        }
    }

    /** The plaintext; throws {@link Unreadable} when the value was sealed with another key or tampered with. */
    public String open(String sealed, String tenantId, String column) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad(tenantId, column));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Unreadable();
        }
    }

    private static byte[] aad(String tenantId, String column) {
        return (tenantId + "\u0000" + column).getBytes(StandardCharsets.UTF_8);
    }

    private static String keyIdOf(byte[] rawKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawKey)).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed value that this key cannot open. Carries no detail on purpose. */
    public static class Unreadable extends RuntimeException {
        Unreadable() {
            super("stored credentials cannot be decrypted with the current COMMERCE_ENCRYPTION_KEY; reconnect the store");
        }
    }
}
