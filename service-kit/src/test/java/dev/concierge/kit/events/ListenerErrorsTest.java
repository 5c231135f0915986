package dev.concierge.kit.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class ListenerErrorsTest {

    @Test
    void aDatabaseOutageIsRetriedUntilItRecovers() {
        assertThat(ListenerErrors.isTransient(new ListenerExecutionFailedException("listener failed",
                new DataAccessResourceFailureException("connection refused")))).isTrue();
        assertThat(ListenerErrors.isTransient(new IllegalStateException("Timeout on blocking read",
                new TimeoutException()))).isTrue();
        assertThat(ListenerErrors.isTransient(new QueryTimeoutException("slow"))).isTrue();
    }

    @Test
    void connectionLossIsTransientButAStatementTheDatabaseRejectsIsNot() {
        assertThat(ListenerErrors.isTransient(new DataAccessResourceFailureException("failed",
                new io.r2dbc.spi.R2dbcNonTransientResourceException("connection lost", "08006")))).isTrue();
        assertThat(ListenerErrors.isTransient(new DataAccessResourceFailureException("failed",
                new io.r2dbc.spi.R2dbcNonTransientResourceException("program limit exceeded", "54000")))).isFalse();
        assertThat(ListenerErrors.isTransient(new io.r2dbc.spi.R2dbcTransientResourceException("deadlock", "40P01"))).isTrue();
    }

    @Test
    void aBadRecordIsNotTransientAndEndsInTheDeadLetterTopic() {
        assertThat(ListenerErrors.isTransient(new ListenerExecutionFailedException("listener failed",
                new IllegalArgumentException("job_id is not a UUID")))).isFalse();
        assertThat(ListenerErrors.isTransient(new ListenerExecutionFailedException("listener failed",
                new tools.jackson.core.exc.StreamReadException(null, "Unexpected character")))).isFalse();
    }
}
