package dev.concierge.gateway.ratelimit.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is failing the rate limiter, so requests pass unlimited (fail-open). The first failure is logged
 * as a warning, the recovery as info, nothing in between (an outage must not flood the log with one line per
 * request). While Redis is down, requests skip it for {@code backoff} after each failure: an outage then costs
 * one slow request per interval, not a timeout on every request.
 */
public final class RedisOutage {

    private static final Logger log = LoggerFactory.getLogger("dev.concierge.gateway.ratelimit");

    private final long backoffNanos;
    private final Duration backoff;
    private final LongSupplier nanoClock;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long retryAtNanos;

    public RedisOutage(Duration backoff) {
        this(backoff, System::nanoTime);
    }

    RedisOutage(Duration backoff, LongSupplier nanoClock) {
        this.backoff = backoff;
        this.backoffNanos = backoff.toNanos();
        this.nanoClock = nanoClock;
    }

    public boolean isDown() {
        return down.get();
    }

    /** Whether a request should not even ask Redis now: it failed less than the back-off ago. */
    public boolean shouldSkip() {
        return down.get() && retryAtNanos - nanoClock.getAsLong() > 0;
    }

    public void failed(Throwable cause) {
        retryAtNanos = nanoClock.getAsLong() + backoffNanos;
        if (down.compareAndSet(false, true)) {
            log.warn("Rate limiting is OFF: Redis did not answer ({}). Requests pass without rate limits "
                    + "(fail-open) until Redis is back; retrying every {}s", describe(cause), backoff.toSeconds());
        } else {
            log.debug("Redis still unavailable for rate limiting: {}", describe(cause));
        }
    }

    public void succeeded() {
        if (down.compareAndSet(true, false)) {
            log.info("Redis answers again: rate limits apply again");
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
