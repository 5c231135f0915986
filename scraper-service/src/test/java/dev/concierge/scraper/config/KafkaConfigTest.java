package dev.concierge.scraper.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class KafkaConfigTest {

    @Test
    void retriesDatabaseOutagesButDeadLettersBadEvents() {
        assertThat(KafkaConfig.isTransient(new ListenerExecutionFailedException("listener failed",
                new DataAccessResourceFailureException("connection refused")))).isTrue();
        assertThat(KafkaConfig.isTransient(new IllegalStateException("Timeout on blocking read",
                new TimeoutException()))).isTrue();

        assertThat(KafkaConfig.isTransient(new ListenerExecutionFailedException("listener failed",
                new IllegalArgumentException("job_id is not a UUID")))).isFalse();
        assertThat(KafkaConfig.isTransient(new ListenerExecutionFailedException("listener failed",
                new tools.jackson.core.exc.StreamReadException(null, "Unexpected character")))).isFalse();
    }
}
