package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access to the chat ({@code concierge.cors.*}); which origins may call is a tenant setting.
 *
 * @param maxAge how long a browser may reuse a preflight answer ({@code Access-Control-Max-Age}); browsers cap
 *               it (Chromium at 2 h)
 */
@ConfigurationProperties("concierge.cors")
public record CorsProperties(@DefaultValue("10m") Duration maxAge) {

    public CorsProperties {
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("concierge.cors.max-age must not be negative");
        }
    }
}
