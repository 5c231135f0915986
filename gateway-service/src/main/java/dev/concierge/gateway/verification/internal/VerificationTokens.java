package dev.concierge.gateway.verification.internal;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Domain-verification tokens: {@code concierge-} and 24 random bytes, base64url without padding (letters, digits,
 * {@code -} and {@code _}: safe in a file, a TXT record and an HTML attribute alike).
 */
public final class VerificationTokens {

    public static final String PREFIX = "concierge-";
    private static final int RANDOM_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VerificationTokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
