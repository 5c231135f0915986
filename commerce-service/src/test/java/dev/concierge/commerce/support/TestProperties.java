package dev.concierge.commerce.support;

import dev.concierge.commerce.config.CommerceProperties;
import java.time.Duration;

public final class TestProperties {

    private TestProperties() {
    }

    /** Fast retries (10 ms backoff, 2 retries), 2 s request timeout, private hosts allowed. */
    public static CommerceProperties fast() {
        return new CommerceProperties("", false, Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(30),
                "http://127.0.0.1:8084", Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 2,
                Duration.ofMillis(10), Duration.ofSeconds(5), 5, 50, Duration.ofMinutes(15), true, Duration.ofMinutes(2));
    }
}
