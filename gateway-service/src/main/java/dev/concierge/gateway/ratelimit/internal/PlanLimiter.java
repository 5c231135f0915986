package dev.concierge.gateway.ratelimit.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.concierge.gateway.config.RateLimitProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Token buckets per plan, in Redis, through Spring Cloud Gateway's {@link RedisRateLimiter} (its Lua script:
 * atomic, on Redis's clock, keys expire when the bucket would be full again). Each plan and scope is one
 * limiter configuration; the bucket key adds whose bucket it is (a tenant id, a tenant and client address), so
 * tenants never share a bucket.
 * <p>
 * This limiter is private to the gateway's own filter, not a bean: route filters and Spring Cloud Gateway's
 * {@code RequestRateLimiter} configuration cannot change it.
 */
public final class PlanLimiter {

    /** Whose bucket a check draws from. */
    public enum Scope {
        /** The tenant's traffic as a whole. */
        TENANT,
        /** One client address of a tenant's widget traffic. */
        CLIENT_IP;

        /** As problem responses name it: {@code tenant}, {@code client_ip}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The answer of one bucket. */
    public record Verdict(Scope scope, RateLimitProperties.Bucket bucket, boolean allowed, long tokensLeft) {

        /** Whole requests the bucket would still admit now. */
        public long requestsLeft() {
            return tokensLeft / bucket.requestedTokens();
        }

        /**
         * Seconds until the bucket holds enough tokens for one request (0 when it does now). The script refills
         * once a second, so this is never below 1 for a refused request.
         */
        public long retryAfterSeconds() {
            long missing = bucket.requestedTokens() - tokensLeft;
            if (missing <= 0) {
                return 0;
            }
            return Math.max(1, (missing + bucket.replenishRate() - 1) / bucket.replenishRate());
        }
    }

    /** Redis did not answer (or answered an error): the caller decides what that means. */
    public static final class Unavailable extends RuntimeException {

        Unavailable(Throwable cause) {
            super(cause == null ? "Redis rate limiter failed" : cause.toString(), cause, false, false);
        }
    }

    private final RedisRateLimiter limiter;
    private final Map<String, RateLimitProperties.Plan> plans;
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();

    public PlanLimiter(ReactiveRedisConnectionFactory connectionFactory, RedisScript<List<Long>> script,
            Map<String, RateLimitProperties.Plan> plans) {
        this.plans = Map.copyOf(plans);
        // RedisRateLimiter answers a Redis error with "allowed, -1 tokens left" and keeps the error to itself;
        // this template remembers it so the outage can be logged with its cause.
        ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connectionFactory) {
            @Override
            public <T> Flux<T> execute(RedisScript<T> redisScript, List<String> keys, List<?> args) {
                return super.execute(redisScript, keys, args).doOnError(lastError::set);
            }
        };
        this.limiter = new RedisRateLimiter(template, script, null);
        this.plans.forEach((name, plan) -> {
            limiter.getConfig().put(configId(name, Scope.TENANT), config(plan.tenant()));
            limiter.getConfig().put(configId(name, Scope.CLIENT_IP), config(plan.clientIp()));
        });
    }

    public boolean hasPlan(String plan) {
        return plans.containsKey(plan);
    }

    /**
     * Takes a request's tokens from the bucket {@code key} of the plan's {@code scope}.
     *
     * @param plan a configured plan ({@link #hasPlan})
     * @return the verdict; fails with {@link Unavailable} when Redis could not be asked
     */
    public Mono<Verdict> check(String plan, Scope scope, String key) {
        RateLimitProperties.Plan limits = plans.get(plan);
        if (limits == null) {
            return Mono.error(new IllegalArgumentException("No rate-limit plan " + plan));
        }
        RateLimitProperties.Bucket bucket = scope == Scope.TENANT ? limits.tenant() : limits.clientIp();
        return limiter.isAllowed(configId(plan, scope), key).map(response -> {
            long tokensLeft = parse(response.getHeaders().get(RedisRateLimiter.REMAINING_HEADER));
            if (tokensLeft < 0) {
                throw new Unavailable(lastError.getAndSet(null));
            }
            return new Verdict(scope, bucket, response.isAllowed(), tokensLeft);
        });
    }

    private static String configId(String plan, Scope scope) {
        return "concierge." + plan + "." + scope.value();
    }

    private static RedisRateLimiter.Config config(RateLimitProperties.Bucket bucket) {
        return new RedisRateLimiter.Config()
                .setReplenishRate(bucket.replenishRate())
                .setBurstCapacity(bucket.burstCapacity())
                .setRequestedTokens(bucket.requestedTokens());
    }

    private static long parse(String tokensLeft) {
        try {
            return tokensLeft == null ? -1 : Long.parseLong(tokensLeft);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
