package dev.concierge.gateway.tenants.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tenant keys: 32 random bytes, base64url without padding, behind a prefix that says what the key is
 * ({@code ck_live_} server-side API key, {@code cw_} public widget key). Only their SHA-256 is stored: the keys
 * carry 256 bits of entropy, so a fast hash is enough (no password-style stretching needed).
 */
public final class TenantKeys {

    public static final String API_KEY_PREFIX = "ck_live_";
    public static final String WIDGET_KEY_PREFIX = "cw_";

    /** How many random characters after the type prefix are kept to identify a key. */
    private static final int SHOWN_CHARACTERS = 4;
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TenantKeys() {
    }

    public static String newApiKey() {
        return API_KEY_PREFIX + randomToken();
    }

    public static String newWidgetKey() {
        return WIDGET_KEY_PREFIX + randomToken();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** The part of a key safe to show again: its type prefix and first few characters. */
    public static String displayPrefix(String key) {
        int typeLength = key.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX.length()
                : key.startsWith(WIDGET_KEY_PREFIX) ? WIDGET_KEY_PREFIX.length() : 0;
        return key.substring(0, Math.min(key.length(), typeLength + SHOWN_CHARACTERS));
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
