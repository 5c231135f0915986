package dev.concierge.gateway.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BlockedClientsTest {

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @Test
    void blocksUntilTheWindowEndsRoundingTheSecondsUp() {
        BlockedClients blocked = new BlockedClients(10, now::get);
        assertThat(blocked.secondsLeft("203.0.113.7")).isZero();
        blocked.block("203.0.113.7", 1_500);
        assertThat(blocked.secondsLeft("203.0.113.7")).isEqualTo(2);
        assertThat(blocked.secondsLeft("203.0.113.8")).isZero();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_000));
        assertThat(blocked.secondsLeft("203.0.113.7")).isEqualTo(1);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(blocked.secondsLeft("203.0.113.7")).isZero();
        assertThat(blocked.isEmpty()).isTrue();
    }

    @Test
    void staysWithinItsSizeDroppingExpiredEntriesFirst() {
        BlockedClients blocked = new BlockedClients(2, now::get);
        blocked.block("a", 100);
        blocked.block("b", 10_000);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        blocked.block("c", 10_000);
        assertThat(blocked.size()).isEqualTo(2);
        assertThat(blocked.secondsLeft("b")).isPositive();
        assertThat(blocked.secondsLeft("c")).isPositive();
        blocked.block("d", 10_000);
        assertThat(blocked.size()).isEqualTo(2);
        assertThat(blocked.secondsLeft("d")).isPositive();
    }
}
