package dev.concierge.gateway.auth.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The clients this gateway instance knows to be blocked for too many failed authentications, each until the end
 * of its window. Bounded: when full, expired entries are dropped first, then arbitrary ones (a dropped client is
 * blocked again at its next failure, which Redis still counts).
 */
final class BlockedClients {

    private final Map<String, Long> untilNanos = new ConcurrentHashMap<>();
    private final int maxSize;
    private final LongSupplier nanoClock;

    BlockedClients(int maxSize, LongSupplier nanoClock) {
        this.maxSize = maxSize;
        this.nanoClock = nanoClock;
    }

    /** Seconds (rounded up) until {@code client} is let in again; 0 when it is not blocked. */
    long secondsLeft(String client) {
        if (untilNanos.isEmpty()) {
            return 0; // the usual case: nothing blocked, no lookup
        }
        Long until = untilNanos.get(client);
        if (until == null) {
            return 0;
        }
        long left = until - nanoClock.getAsLong();
        if (left <= 0) {
            untilNanos.remove(client, until);
            return 0;
        }
        return Math.max(1, (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    boolean isEmpty() {
        return untilNanos.isEmpty();
    }

    /** Blocks {@code client} for {@code millis}. */
    void block(String client, long millis) {
        long now = nanoClock.getAsLong();
        if (untilNanos.size() >= maxSize && !untilNanos.containsKey(client)) {
            untilNanos.values().removeIf(until -> until - now <= 0);
            Iterator<String> any = untilNanos.keySet().iterator();
            while (untilNanos.size() >= maxSize && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        untilNanos.put(client, now + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    int size() {
        return untilNanos.size();
    }
}
