package dev.concierge.gateway.ratelimit;

import java.util.List;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.http.HttpHeaders;

/**
 * The headers of rate-limited responses. The {@code X-RateLimit-*} names are Spring Cloud Gateway's
 * {@link RedisRateLimiter}'s; all counts are tokens of the bucket that is closest to its limit.
 */
public final class RateLimitHeaders {

    /** Tokens left in the bucket after this request. */
    public static final String REMAINING = RedisRateLimiter.REMAINING_HEADER;
    /** Tokens the bucket gains per second. */
    public static final String REPLENISH_RATE = RedisRateLimiter.REPLENISH_RATE_HEADER;
    /** The bucket's size: the largest burst. */
    public static final String BURST_CAPACITY = RedisRateLimiter.BURST_CAPACITY_HEADER;
    /** Tokens one request takes. */
    public static final String REQUESTED_TOKENS = RedisRateLimiter.REQUESTED_TOKENS_HEADER;
    /** The bucket's size again, under the name clients commonly look for. */
    public static final String LIMIT = "X-RateLimit-Limit";
    /** Seconds until the request could pass (on 429 only). */
    public static final String RETRY_AFTER = HttpHeaders.RETRY_AFTER;

    /** Every one of them, e.g. for {@code Access-Control-Expose-Headers}. */
    public static final List<String> ALL = List.of(RETRY_AFTER, LIMIT, REMAINING, REPLENISH_RATE, BURST_CAPACITY,
            REQUESTED_TOKENS);

    private RateLimitHeaders() {
    }
}
