package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tenant keys ({@code concierge.keys.*}).
 *
 * @param rotationGrace how long a rotated-out key keeps working, so clients can switch to the new one without
 *                      downtime; zero refuses the old key at once
 */
@ConfigurationProperties("concierge.keys")
public record KeyProperties(@DefaultValue("10m") Duration rotationGrace) {

    public KeyProperties {
        if (rotationGrace == null || rotationGrace.isNegative()) {
            throw new IllegalArgumentException("concierge.keys.rotation-grace must not be negative");
        }
    }
}
