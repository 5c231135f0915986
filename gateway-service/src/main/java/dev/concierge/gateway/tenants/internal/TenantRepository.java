package dev.concierge.gateway.tenants.internal;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantStatus;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code tenants} table (see {@code db/migration/V1__tenants.sql}). */
@Repository
public class TenantRepository {

    private static final String COLUMNS =
            "id, domain, name, allowed_origins, status, api_key_prefix, widget_key_prefix, created_at";

    private final DatabaseClient db;

    public TenantRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Stores a new tenant; fails with a {@code DataIntegrityViolationException} when the domain is taken. */
    public Mono<Tenant> insert(Tenant tenant, String apiKeyHash, String widgetKeyHash) {
        return db.sql("""
                        INSERT INTO tenants (id, domain, name, allowed_origins, status,
                                             api_key_prefix, api_key_hash, widget_key_prefix, widget_key_hash)
                        VALUES (:id, :domain, :name, :allowedOrigins, :status,
                                :apiKeyPrefix, :apiKeyHash, :widgetKeyPrefix, :widgetKeyHash)
                        RETURNING\s""" + COLUMNS)
                .bind("id", tenant.id())
                .bind("domain", tenant.domain())
                .bind("name", tenant.name())
                .bind("allowedOrigins", tenant.allowedOrigins().toArray(String[]::new))
                .bind("status", tenant.status().value())
                .bind("apiKeyPrefix", tenant.apiKeyPrefix())
                .bind("apiKeyHash", apiKeyHash)
                .bind("widgetKeyPrefix", tenant.widgetKeyPrefix())
                .bind("widgetKeyHash", widgetKeyHash)
                .map(TenantRepository::toTenant)
                .one();
    }

    public Mono<Tenant> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id")
                .bind("id", id)
                .map(TenantRepository::toTenant)
                .one();
    }

    public Mono<Tenant> findByDomain(String domain) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE domain = :domain")
                .bind("domain", domain)
                .map(TenantRepository::toTenant)
                .one();
    }

    public Mono<Tenant> findByApiKeyHash(String hash) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE api_key_hash = :hash")
                .bind("hash", hash)
                .map(TenantRepository::toTenant)
                .one();
    }

    public Mono<Tenant> findByWidgetKeyHash(String hash) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE widget_key_hash = :hash")
                .bind("hash", hash)
                .map(TenantRepository::toTenant)
                .one();
    }

    public Flux<Tenant> findAll() {
        return db.sql("SELECT " + COLUMNS + " FROM tenants ORDER BY created_at, id")
                .map(TenantRepository::toTenant)
                .all();
    }

    public Mono<Tenant> updateStatus(UUID id, TenantStatus status) {
        return db.sql("UPDATE tenants SET status = :status WHERE id = :id RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("status", status.value())
                .map(TenantRepository::toTenant)
                .one();
    }

    private static Tenant toTenant(Readable row) {
        String[] origins = row.get("allowed_origins", String[].class);
        return new Tenant(
                row.get("id", UUID.class),
                row.get("domain", String.class),
                row.get("name", String.class),
                origins == null ? java.util.List.of() : Arrays.asList(origins),
                TenantStatus.parse(row.get("status", String.class)),
                row.get("api_key_prefix", String.class),
                row.get("widget_key_prefix", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
