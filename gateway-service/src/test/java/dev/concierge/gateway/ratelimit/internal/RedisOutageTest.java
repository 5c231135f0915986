package dev.concierge.gateway.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RedisOutageTest {

    private final AtomicLong now = new AtomicLong();
    private final RedisOutage outage = new RedisOutage(Duration.ofSeconds(5), now::get);

    @Test
    void asksRedisWhileItAnswers() {
        assertThat(outage.isDown()).isFalse();
        assertThat(outage.shouldSkip()).isFalse();
    }

    @Test
    void skipsRedisForTheBackoffAfterAFailureThenTriesAgain() {
        outage.failed(new ConnectException("Connection refused"));
        assertThat(outage.isDown()).isTrue();
        assertThat(outage.shouldSkip()).isTrue();

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outage.shouldSkip()).isFalse();

        outage.failed(new ConnectException("Connection refused"));
        assertThat(outage.shouldSkip()).isTrue();
    }

    @Test
    void isUpAgainAfterASuccess() {
        outage.failed(new ConnectException("Connection refused"));
        now.addAndGet(Duration.ofSeconds(6).toNanos());

        outage.succeeded();

        assertThat(outage.isDown()).isFalse();
        assertThat(outage.shouldSkip()).isFalse();
    }
}
