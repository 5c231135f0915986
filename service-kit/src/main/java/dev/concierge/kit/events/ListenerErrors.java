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

    static boolean isTransient(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof TimeoutException || name.startsWith("io.r2dbc.spi.R2dbcTransient")
                    || name.equals("io.r2dbc.spi.R2dbcNonTransientResourceException")) {
                return true;
            }
        }
        return false;
    }

    private static ExponentialBackOff untilRecovered() {
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }
}
