package dev.concierge.gateway.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.GatewayProperties;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Asks Redis (the rate limiter's store) whether it answers: {@code PING}. The gateway keeps serving without
 * Redis (rate limits fail open), but the platform is not healthy then, so {@code /api/health} reports it.
 */
@Component
public class RedisHealthClient {

    private static final Logger log = LoggerFactory.getLogger(RedisHealthClient.class);

    private final ReactiveRedisConnectionFactory connectionFactory;
    private final GatewayProperties properties;

    public RedisHealthClient(ReactiveRedisConnectionFactory connectionFactory, GatewayProperties properties) {
        this.connectionFactory = connectionFactory;
        this.properties = properties;
    }

    /** {@code true} when Redis answers {@code PONG} within the health timeout. Never fails. */
    public Mono<Boolean> isUp() {
        return Mono.usingWhen(
                        // Getting a connection may block while it is (re)established: not on the event loop.
                        Mono.fromSupplier(connectionFactory::getReactiveConnection)
                                .subscribeOn(Schedulers.boundedElastic()),
                        connection -> connection.ping(),
                        ReactiveRedisConnection::closeLater)
                .map("PONG"::equalsIgnoreCase)
                .timeout(properties.healthTimeout())
                .onErrorResume(e -> {
                    log.debug("Redis did not answer PING: {}", e.toString());
                    return Mono.just(false);
                });
    }
}
