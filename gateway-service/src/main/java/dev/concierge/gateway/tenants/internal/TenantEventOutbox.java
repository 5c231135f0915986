package dev.concierge.gateway.tenants.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code tenant_event_outbox}: {@code tenant.tenant-updated.v1} events written in the transaction of the change
 * they describe, until Kafka acknowledged them. A change is thereby never lost nor published without being
 * committed, and a Kafka outage never fails a change.
 */
@Repository
public class TenantEventOutbox {

    /** Key of the transaction-level advisory lock that lets one publisher at a time drain the outbox. */
    static final long PUBLISHER_LOCK = 0x7465_6e61_6e74_6576L; // "tenantev"

    /** An event waiting to be published. */
    public record Pending(long seq, UUID eventId, UUID tenantId, String payload, Instant createdAt) {
    }

    private final DatabaseClient db;

    public TenantEventOutbox(DatabaseClient db) {
        this.db = db;
    }

    /** Adds an event; call it inside the transaction of the change it describes. */
    public Mono<Void> add(UUID eventId, UUID tenantId, String payload) {
        return db.sql("INSERT INTO tenant_event_outbox (event_id, tenant_id, payload)"
                        + " VALUES (:eventId, :tenantId, :payload)")
                .bind("eventId", eventId)
                .bind("tenantId", tenantId)
                .bind("payload", payload)
                .then();
    }

    /**
     * Takes the publisher lock for the surrounding transaction; {@code false} when another publisher (another
     * gateway instance) holds it. Only one publisher at a time keeps each tenant's events in order.
     */
    public Mono<Boolean> lockForPublishing() {
        return db.sql("SELECT pg_try_advisory_xact_lock(:key) AS locked")
                .bind("key", PUBLISHER_LOCK)
                .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
                .one();
    }

    /** The oldest {@code limit} events not yet published, oldest first. */
    public Flux<Pending> oldest(int limit) {
        return db.sql("SELECT seq, event_id, tenant_id, payload, created_at FROM tenant_event_outbox"
                        + " ORDER BY seq LIMIT :limit")
                .bind("limit", limit)
                .map(row -> new Pending(row.get("seq", Long.class), row.get("event_id", UUID.class),
                        row.get("tenant_id", UUID.class), row.get("payload", String.class),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /** Forgets events Kafka acknowledged. */
    public Mono<Long> delete(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return Mono.just(0L);
        }
        return db.sql("DELETE FROM tenant_event_outbox WHERE seq = ANY(:seqs)")
                .bind("seqs", seqs.toArray(Long[]::new))
                .fetch()
                .rowsUpdated();
    }

    /** How many events wait to be published. */
    public Mono<Long> countPending() {
        return db.sql("SELECT count(*) AS pending FROM tenant_event_outbox")
                .map(row -> row.get("pending", Long.class))
                .one();
    }
}
