package dev.concierge.gateway.ratelimit;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

import dev.concierge.gateway.clients.ClientAddresses;
import dev.concierge.gateway.config.RateLimitProperties;
import dev.concierge.gateway.ratelimit.internal.PlanLimiter;
import dev.concierge.gateway.ratelimit.internal.RedisOutage;
import io.micrometer.core.instrument.MeterRegistry;

/** Wires {@link RateLimitFilter} to Redis (Spring Boot's {@code spring.data.redis.*}, i.e. {@code REDIS_URL}). */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /**
     * Spring Cloud Gateway's Lua script, read once. Its bean reads the script from a classpath resource and, on
     * every call, checks whether the resource changed (a class-path lookup per rate-limited request, 7 % of the
     * gateway's CPU in GatewayOverheadBench); the script ships in a jar and never changes.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static RedisScript<List<Long>> fixed(RedisScript<List<Long>> script) {
        return (RedisScript) RedisScript.of(script.getScriptAsString(), List.class);
    }

    @Bean
    RateLimitFilter rateLimitFilter(ReactiveRedisConnectionFactory redis,
            @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> script,
            RateLimitProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new RateLimitFilter(
                new PlanLimiter(redis, fixed(script), properties.plans()),
                new RedisOutage(properties.backoff()),
                ClientAddresses.trusting(properties.trustedProxies()),
                properties,
                meters);
    }
}
