package dev.concierge.gateway.health;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.concierge.gateway.config.GatewayProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Public health of the platform as seen through the gateway. {@code /api/health} asks every service's readiness
 * and Redis (rate limits) in parallel; {@code /api/health/live} is the gateway's own liveness. (Kubernetes probes use the gateway's
 * {@code /actuator/health/liveness|readiness}, which do not depend on other services.)
 */
@RestController
public class HealthController {

    static final String GATEWAY = "gateway-service";
    static final String REDIS = "redis";

    private final ServiceHealthClient client;
    private final RedisHealthClient redis;
    private final ApplicationAvailability availability;
    private final Map<String, URI> services;

    public HealthController(ServiceHealthClient client, RedisHealthClient redis, ApplicationAvailability availability,
            GatewayProperties properties) {
        this.client = client;
        this.redis = redis;
        this.availability = availability;
        this.services = properties.services().byName();
    }

    public record Liveness(String status) {
    }

    @GetMapping("/api/health")
    public Mono<ResponseEntity<PlatformHealth>> health() {
        return Flux.fromIterable(services.entrySet())
                .flatMap(service -> client.isReady(service.getKey(), service.getValue())
                        .map(ready -> Map.entry(service.getKey(), ready)))
                .mergeWith(redis.isUp().map(up -> Map.entry(REDIS, up)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(readiness -> {
                    Map<String, String> statuses = new LinkedHashMap<>();
                    statuses.put(GATEWAY, status(availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC));
                    services.keySet().forEach(name -> statuses.put(name, status(readiness.getOrDefault(name, false))));
                    statuses.put(REDIS, status(readiness.getOrDefault(REDIS, false)));
                    PlatformHealth health = PlatformHealth.of(statuses);
                    return ResponseEntity.status(health.isUp() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                            .body(health);
                });
    }

    @GetMapping("/api/health/live")
    public ResponseEntity<Liveness> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new Liveness(status(live)));
    }

    private static String status(boolean up) {
        return up ? PlatformHealth.UP : PlatformHealth.DOWN;
    }
}
