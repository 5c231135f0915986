package dev.concierge.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code concierge.rate-limit.*}): token buckets in Redis, sized by the tenant's plan.
 *
 * @param enabled        whether requests are rate limited at all
 * @param defaultPlan    the plan of a tenant registered without one (and of a tenant whose plan is no longer
 *                       configured)
 * @param plans          every plan by name: a bucket for the tenant as a whole and one per client IP (widget
 *                       traffic only)
 * @param timeout        how long a request waits for Redis before it is let through unlimited (fail-open)
 * @param backoff        after Redis failed, how long requests skip it (and pass unlimited) before it is tried
 *                       again, so an outage costs one slow request per interval instead of every request
 * @param trustedProxies addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}) of proxies whose
 *                       {@code X-Forwarded-For} is believed; empty (the default) means the client is the peer
 *                       address and {@code X-Forwarded-For} is ignored
 */
@ConfigurationProperties("concierge.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("standard") String defaultPlan,
        Map<String, Plan> plans,
        @DefaultValue("500ms") Duration timeout,
        @DefaultValue("5s") Duration backoff,
        @DefaultValue("") List<String> trustedProxies) {

    private static final Pattern PLAN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public RateLimitProperties {
        plans = plans == null ? Map.of() : Map.copyOf(plans);
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (Map.Entry<String, Plan> plan : plans.entrySet()) {
            if (!PLAN_NAME.matcher(plan.getKey()).matches()) {
                throw new IllegalArgumentException("concierge.rate-limit.plans: plan name '" + plan.getKey()
                        + "' must be lower-case letters, digits and dashes");
            }
            if (plan.getValue() == null || plan.getValue().tenant() == null || plan.getValue().clientIp() == null) {
                throw new IllegalArgumentException("concierge.rate-limit.plans." + plan.getKey()
                        + " needs both a tenant and a client-ip bucket");
            }
            plan.getValue().tenant().check("concierge.rate-limit.plans." + plan.getKey() + ".tenant");
            plan.getValue().clientIp().check("concierge.rate-limit.plans." + plan.getKey() + ".client-ip");
        }
        if (enabled && !plans.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("concierge.rate-limit.default-plan '" + defaultPlan
                    + "' is not one of the configured plans " + plans.keySet());
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("concierge.rate-limit.timeout must be positive");
        }
    }

    /** The limits of one plan. */
    public record Plan(Bucket tenant, Bucket clientIp) {
    }

    /**
     * One token bucket ({@code RedisRateLimiter}'s parameters): it holds {@code burstCapacity} tokens, gains
     * {@code replenishRate} per second and a request takes {@code requestedTokens}. So a client may send
     * {@code replenishRate / requestedTokens} requests per second on average and {@code burstCapacity /
     * requestedTokens} at once; {@code requestedTokens > 1} expresses rates below one request per second
     * (rate 1, burst 60, requested 60 = one request a minute).
     */
    public record Bucket(int replenishRate, long burstCapacity, @DefaultValue("1") int requestedTokens) {

        void check(String name) {
            if (replenishRate < 1) {
                throw new IllegalArgumentException(name + ".replenish-rate must be at least 1");
            }
            if (burstCapacity < replenishRate) {
                throw new IllegalArgumentException(name + ".burst-capacity must be at least the replenish-rate");
            }
            if (requestedTokens < 1 || requestedTokens > burstCapacity) {
                throw new IllegalArgumentException(name + ".requested-tokens must be between 1 and burst-capacity");
            }
        }
    }
}
