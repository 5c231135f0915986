package dev.concierge.gateway.health;

import java.util.Map;

/**
 * Answer of {@code GET /api/health}: {@code UP} only when every service, the gateway included, is ready and Redis
 * (rate limits) answers.
 */
public record PlatformHealth(String status, Map<String, String> services) {

    static final String UP = "UP";
    static final String DOWN = "DOWN";

    static PlatformHealth of(Map<String, String> services) {
        boolean allUp = services.values().stream().allMatch(UP::equals);
        return new PlatformHealth(allUp ? UP : DOWN, services);
    }

    boolean isUp() {
        return UP.equals(status);
    }
}
