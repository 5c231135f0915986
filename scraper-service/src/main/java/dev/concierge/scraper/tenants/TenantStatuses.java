package dev.concierge.scraper.tenants;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * {@code tenant_statuses}: whether a tenant is active or disabled, as the gateway last said. The re-crawl
 * schedule ({@code CrawlScheduleRepository}) leaves out disabled tenants; tenants the gateway never spoke of count as
 * active.
 */
@Repository
public class TenantStatuses {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    private final DatabaseClient db;

    public TenantStatuses(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Records the tenant's status as of {@code updatedAt}, unless a status of the same time or later is already
     * recorded (events may arrive again, or late). Idempotent.
     *
     * @return whether the recorded status changed
     */
    public Mono<Boolean> record(String tenantId, String status, Instant updatedAt) {
        return db.sql("""
                        INSERT INTO tenant_statuses (tenant_id, status, updated_at) VALUES (:tenant, :status, :updatedAt)
                        ON CONFLICT (tenant_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
                         WHERE tenant_statuses.updated_at < EXCLUDED.updated_at
                        """)
                .bind("tenant", tenantId).bind("status", status).bind("updatedAt", updatedAt)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }

    /** The tenant's recorded status; empty when the gateway never spoke of it. */
    public Mono<String> statusOf(String tenantId) {
        return db.sql("SELECT status FROM tenant_statuses WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> row.get("status", String.class))
                .one();
    }
}
