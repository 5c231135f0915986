package dev.concierge.kit.events;

import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How listeners fail. A record whose processing throws is tried twice more, then goes to
 * {@code <topic>.dlt} with the exception in its headers, and the listener moves on: a poison message
 * never blocks a partition. A database that is down or slow is not the record's fault: such failures are
 * retried with backoff, holding the partition, until the database is back, so no good event is ever
 * dead-lettered because of an outage.
 */
public final class ListenerErrors {

    private ListenerErrors() {
    }

    public static DefaultErrorHandler handler(KafkaTemplate<String, String> template) {
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, ex) -> new TopicPartition(record.topic() + ".dlt", -1));
        var handler = new DefaultErrorHandler(recoverer, new FixedBackOff(500, 2));
        handler.setBackOffFunction((record, ex) -> isTransient(ex) ? untilRecovered() : null);
        return handler;
    }

    /**
     * Temporary: the database could not be reached or answered too late (timeouts, connection failures,
     * SQLSTATE classes 08 connection, 53 insufficient resources, 57P operator intervention, 40001/40P01
     * serialization or deadlock). A statement the database rejects for this record (any other SQLSTATE) is
     * the record's problem, and goes to the dead-letter topic like any other failure.
     */
    static boolean isTransient(Throwable ex) {
        boolean databaseUnavailable = false;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String state = sqlState(t);
            if (state != null) {
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("40001") || state.equals("40P01");
            }
            if (t instanceof TimeoutException || t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            databaseUnavailable |= t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException;
        }
        return databaseUnavailable; // a resource failure that names no SQLSTATE: no connection at all
    }

    private static String sqlState(Throwable t) {
        try {
            return t instanceof io.r2dbc.spi.R2dbcException r ? r.getSqlState() : null;
        } catch (NoClassDefFoundError e) {
            return null; // a service without R2DBC
        }
    }

    private static ExponentialBackOff untilRecovered() {
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }
}
