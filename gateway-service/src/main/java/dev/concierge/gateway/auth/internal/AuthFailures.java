package dev.concierge.gateway.auth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.clients.ClientAddresses;
import dev.concierge.gateway.config.AuthFailureProperties;
import dev.concierge.gateway.config.RateLimitProperties;
import dev.concierge.gateway.errors.ProblemException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bounds failed authentications per client address (key guessing): each failure (wrong API key, unknown widget key,
 * wrong admin key) is counted in Redis ({@code INCR auth-failures:<client>}, expiring a window after the first);
 * the failure that takes a client over the limit is answered 429 and the client is remembered, in memory, as
 * blocked until its window ends. Blocked clients are refused before any key is looked up, also with a valid key:
 * the address is flooding, and telling a valid key apart would need the lookup this is meant to spare.
 * <p>
 * The hot path stays cheap: a successful request costs one look into an (almost always empty) in-memory map, never
 * a Redis call. Other gateway instances learn of a blocked client at its next failure there (their INCR passes the
 * limit too).
 * <p>
 * <b>Redis unavailable: fail open.</b> Failures are then not counted and nobody new is blocked (failures answer
 * 401/404 as usual); the outage is logged once, its end once, and Redis is skipped for {@code backoff} after each
 * error (the pattern of the rate limiter's fail-open).
 */
@Component
public class AuthFailures {

    private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);

    static final String KEY_PREFIX = "auth-failures:";

    /** Counts one failure; answers the count and the milliseconds left in the window. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final RedisScript<List<Long>> COUNT = (RedisScript) RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {n, ttl}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final ClientAddresses clients;
    private final AuthFailureProperties properties;
    private final BlockedClients blocked;
    private final AtomicBoolean redisDown = new AtomicBoolean();
    private volatile long retryRedisAtNanos;

    public AuthFailures(ReactiveRedisConnectionFactory redis, AuthFailureProperties properties,
            RateLimitProperties rateLimits) {
        this.redis = new ReactiveStringRedisTemplate(redis);
        this.clients = ClientAddresses.trusting(rateLimits.trustedProxies());
        this.properties = properties;
        this.blocked = new BlockedClients(properties.maxBlockedClients(), System::nanoTime);
    }

    /**
     * The refusal of a request from a blocked client: 429 with {@code Retry-After}; {@code null} when the request's
     * client is not blocked.
     */
    public ProblemException refusalIfBlocked(ServerWebExchange exchange) {
        if (blocked.isEmpty()) {
            return null;
        }
        long secondsLeft = blocked.secondsLeft(clientOf(exchange));
        return secondsLeft > 0 ? tooManyFailures(secondsLeft) : null;
    }

    /**
     * Counts a failed authentication of the request's client and answers {@code failure}, or 429 when this failure
     * takes the client over the limit (it is blocked from now on).
     */
    public <T> Mono<T> failed(ServerWebExchange exchange, ProblemException failure) {
        if (!properties.enabled() || shouldSkipRedis()) {
            return Mono.error(failure);
        }
        String client = clientOf(exchange);
        Mono<List<Long>> counted = redis.execute(COUNT, List.of(KEY_PREFIX + client),
                        List.of(String.valueOf(properties.window().toMillis())))
                .reduce(new ArrayList<Long>(), (all, part) -> {
                    all.addAll(part);
                    return all;
                })
                .map(all -> (List<Long>) all)
                .timeout(properties.timeout());
        if (redisDown.get()) {
            // reconnecting may block while the connection is set up: keep that off the event loop
            counted = counted.subscribeOn(Schedulers.boundedElastic());
        }
        return counted
                .onErrorResume(e -> {
                    redisFailed(e);
                    return Mono.empty();
                })
                .flatMap(answer -> {
                    redisSucceeded();
                    long failures = answer.get(0);
                    long millisLeft = answer.size() > 1 ? answer.get(1) : properties.window().toMillis();
                    if (failures > properties.limit()) {
                        if (failures == properties.limit() + 1L) {
                            log.warn("Client {} has more than {} failed authentications within {}: refused for {} ms",
                                    client, properties.limit(), properties.window(), millisLeft);
                        }
                        blocked.block(client, millisLeft);
                        return Mono.<T>error(tooManyFailures(Math.max(1, (millisLeft + 999) / 1000)));
                    }
                    return Mono.<T>error(failure);
                })
                .switchIfEmpty(Mono.error(failure));
    }

    private String clientOf(ServerWebExchange exchange) {
        return clients.clientKey(exchange.getRequest().getRemoteAddress(),
                exchange.getRequest().getHeaders().getOrDefault("X-Forwarded-For", List.of()));
    }

    private static ProblemException tooManyFailures(long secondsLeft) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(secondsLeft));
        return ProblemException.tooManyRequests("Too many failed authentications from this client address; retry "
                + "after " + secondsLeft + " s", headers, Map.of("retry_after_seconds", secondsLeft));
    }

    private boolean shouldSkipRedis() {
        return redisDown.get() && retryRedisAtNanos - System.nanoTime() > 0;
    }

    private void redisFailed(Throwable cause) {
        retryRedisAtNanos = System.nanoTime() + properties.backoff().toNanos();
        if (redisDown.compareAndSet(false, true)) {
            log.warn("Failed authentications are NOT limited: Redis did not answer ({}). Failures are not counted "
                    + "(fail-open) until Redis is back; retrying every {}s", describe(cause),
                    properties.backoff().toSeconds());
        } else {
            log.debug("Redis still unavailable for counting failed authentications: {}", describe(cause));
        }
    }

    private void redisSucceeded() {
        if (redisDown.compareAndSet(true, false)) {
            log.info("Redis answers again: failed authentications are limited again");
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
