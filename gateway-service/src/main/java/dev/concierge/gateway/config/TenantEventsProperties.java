package dev.concierge.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Publishing {@code tenant.tenant-updated.v1} from the outbox ({@code concierge.tenant-events.*}).
 *
 * @param publishInterval   how often the outbox is looked at (changes made through this instance are published at
 *                          once; this bounds the delay for the rest, and the retry interval while Kafka is down)
 * @param batchSize         events published per transaction
 * @param sendTimeout       longest wait for Kafka's acknowledgement of one event
 * @param replicationFactor replication factor of the topic when the gateway creates it
 */
@ConfigurationProperties("concierge.tenant-events")
public record TenantEventsProperties(
        @DefaultValue("1s") Duration publishInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("15s") Duration sendTimeout,
        @DefaultValue("1") int replicationFactor) {

    public TenantEventsProperties {
        if (publishInterval == null || publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException("concierge.tenant-events.publish-interval must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("concierge.tenant-events.batch-size must be at least 1");
        }
        if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("concierge.tenant-events.send-timeout must be positive");
        }
    }
}
