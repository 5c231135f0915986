package dev.concierge.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Record keys: stable business ids, so that all events about one thing stay in one partition, in order. */
public final class EventKeys {

    private EventKeys() {
    }

    public static String page(String tenantId, String url) {
        return tenantId + ":" + sha256(url).substring(0, 32);
    }

    public static String conversation(String tenantId, String conversationId) {
        return tenantId + ":" + conversationId;
    }

    /** SHA-256 of the UTF-8 bytes, lower-case hex. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
