package dev.concierge.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.GatewayProperties;

/**
 * The operator's key ({@code CONCIERGE_ADMIN_KEY}). There is no default: when it is not configured nothing
 * matches it, so the admin API answers every request with 401.
 */
@Component
public class AdminKey {

    private static final Logger log = LoggerFactory.getLogger(AdminKey.class);
    private static final int RECOMMENDED_LENGTH = 32;

    private final byte[] digest;

    public AdminKey(GatewayProperties properties) {
        String key = properties.adminKey();
        if (key.isEmpty()) {
            log.warn("CONCIERGE_ADMIN_KEY is not set: the admin API and admin access are disabled");
            this.digest = null;
        } else {
            if (key.length() < RECOMMENDED_LENGTH) {
                log.warn("CONCIERGE_ADMIN_KEY is shorter than {} characters; use e.g. `openssl rand -hex 32`",
                        RECOMMENDED_LENGTH);
            }
            this.digest = sha256(key);
        }
    }

    public boolean isConfigured() {
        return digest != null;
    }

    /**
     * Whether {@code presented} is the admin key. Compares SHA-256 digests with {@link MessageDigest#isEqual},
     * so the time taken reveals neither the key's length nor how much of it matched.
     */
    public boolean matches(String presented) {
        if (digest == null || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
