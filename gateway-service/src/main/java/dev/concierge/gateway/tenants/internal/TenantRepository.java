package dev.concierge.gateway.tenants.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.concierge.gateway.tenants.DomainVerification;
import dev.concierge.gateway.tenants.KeyKind;
import dev.concierge.gateway.tenants.RotatedKey;
import dev.concierge.gateway.tenants.Tenant;
import dev.concierge.gateway.tenants.TenantChanges;
import dev.concierge.gateway.tenants.TenantLlm;
import dev.concierge.gateway.tenants.TenantStatus;
import dev.concierge.gateway.tenants.VerificationMethod;
import dev.concierge.gateway.tenants.VerificationToken;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code tenants} table and the keys rotated out of it, {@code retired_tenant_keys} (see
 * {@code db/migration}).
 */
@Repository
public class TenantRepository {

    private static final List<String> COLUMN_NAMES = List.of("id", "domain", "name", "allowed_origins",
            "rate_limit_plan", "support_email", "status", "api_key_prefix", "widget_key_prefix", "created_at",
            "verified_at", "verification_method", "updated_at", "llm_provider", "llm_base_url", "llm_model",
            "llm_api_key_encrypted", "llm_api_key_hint");
    private static final List<String> LLM_COLUMNS = List.of("llm_provider", "llm_base_url", "llm_model",
            "llm_api_key_encrypted", "llm_api_key_hint");
    private static final String COLUMNS = String.join(", ", COLUMN_NAMES);

    private final DatabaseClient db;

    public TenantRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Stores a new tenant; fails with a {@code DataIntegrityViolationException} when the domain is taken. */
    public Mono<Tenant> insert(Tenant tenant, String apiKeyHash, String widgetKeyHash) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        INSERT INTO tenants (id, domain, name, allowed_origins, rate_limit_plan, support_email, status,
                                             api_key_prefix, api_key_hash, widget_key_prefix, widget_key_hash,
                                             llm_provider, llm_base_url, llm_model, llm_api_key_encrypted,
                                             llm_api_key_hint)
                        VALUES (:id, :domain, :name, :allowedOrigins, :rateLimitPlan, :supportEmail, :status,
                                :apiKeyPrefix, :apiKeyHash, :widgetKeyPrefix, :widgetKeyHash,
                                :llm_provider, :llm_base_url, :llm_model, :llm_api_key_encrypted, :llm_api_key_hint)
                        RETURNING\s""" + COLUMNS)
                .bind("id", tenant.id())
                .bind("domain", tenant.domain())
                .bind("name", tenant.name())
                .bind("allowedOrigins", tenant.allowedOrigins().toArray(String[]::new))
                .bind("rateLimitPlan", tenant.rateLimitPlan())
                .bind("status", tenant.status().value())
                .bind("apiKeyPrefix", tenant.apiKeyPrefix())
                .bind("apiKeyHash", apiKeyHash)
                .bind("widgetKeyPrefix", tenant.widgetKeyPrefix())
                .bind("widgetKeyHash", widgetKeyHash);
        insert = tenant.supportEmail() == null ? insert.bindNull("supportEmail", String.class)
                : insert.bind("supportEmail", tenant.supportEmail());
        for (Map.Entry<String, String> value : llmValues(tenant.llm()).entrySet()) {
            insert = value.getValue() == null ? insert.bindNull(value.getKey(), String.class)
                    : insert.bind(value.getKey(), value.getValue());
        }
        return insert.map(TenantRepository::toTenant).one();
    }

    public Mono<Tenant> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id")
                .bind("id", id)
                .map(TenantRepository::toTenant)
                .one();
    }

    /** The tenant, its row locked until the surrounding transaction ends (so changes to it are serialised). */
    public Mono<Tenant> lockById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id FOR UPDATE")
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

    /**
     * The tenant whose current key of this kind, or whose rotated-out key still in its grace period, has this
     * hash. A rotated-out key's answer holds only until its grace period ends; the time left is measured by the
     * database's clock, the one that set the end.
     */
    public Mono<TenantCache.Expiring> findByKeyHash(KeyKind kind, String hash) {
        String current = kind == KeyKind.API_KEY ? "api_key_hash" : "widget_key_hash";
        return db.sql("SELECT " + COLUMNS + ", NULL::float8 AS valid_for_seconds FROM tenants WHERE " + current
                        + " = :hash"
                        + " UNION ALL"
                        + " SELECT " + prefixed("t") + ", EXTRACT(EPOCH FROM r.expires_at - now())::float8"
                        + " FROM retired_tenant_keys r JOIN tenants t ON t.id = r.tenant_id"
                        + " WHERE r.key_hash = :hash AND r.kind = :kind AND r.expires_at > now()"
                        + " LIMIT 1")
                .bind("hash", hash)
                .bind("kind", kind.value())
                .map(row -> {
                    Double seconds = row.get("valid_for_seconds", Double.class);
                    return new TenantCache.Expiring(toTenant(row),
                            seconds == null ? null : Duration.ofNanos((long) (seconds * 1e9)));
                })
                .one();
    }

    public Flux<Tenant> findAll() {
        return db.sql("SELECT " + COLUMNS + " FROM tenants ORDER BY created_at, id")
                .map(TenantRepository::toTenant)
                .all();
    }

    /** Applies the changes (the language model left as it is); empty when there is no such tenant. */
    public Mono<Tenant> update(UUID id, TenantChanges changes) {
        return update(id, changes, null);
    }

    /**
     * Applies the changes and stores {@code llm} as the tenant's language model ({@code Optional.empty()}: the
     * platform's default; {@code null}: left as it is); empty when there is no such tenant.
     */
    public Mono<Tenant> update(UUID id, TenantChanges changes, Optional<TenantLlm> llm) {
        List<String> assignments = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        if (changes.status() != null) {
            assignments.add("status = :status");
            values.put("status", changes.status().value());
        }
        if (changes.name() != null) {
            assignments.add("name = :name");
            values.put("name", changes.name());
        }
        if (changes.allowedOrigins() != null) {
            assignments.add("allowed_origins = :allowedOrigins");
            values.put("allowedOrigins", changes.allowedOrigins().toArray(String[]::new));
        }
        if (changes.rateLimitPlan() != null) {
            assignments.add("rate_limit_plan = :rateLimitPlan");
            values.put("rateLimitPlan", changes.rateLimitPlan());
        }
        if (changes.supportEmail() != null) {
            if (changes.supportEmail().isPresent()) {
                assignments.add("support_email = :supportEmail");
                values.put("supportEmail", changes.supportEmail().get());
            } else {
                assignments.add("support_email = NULL");
            }
        }
        if (llm != null) {
            for (Map.Entry<String, String> value : llmValues(llm.orElse(null)).entrySet()) {
                if (value.getValue() == null) {
                    assignments.add(value.getKey() + " = NULL");
                } else {
                    assignments.add(value.getKey() + " = :" + value.getKey());
                    values.put(value.getKey(), value.getValue());
                }
            }
        }
        if (assignments.isEmpty()) {
            return findById(id);
        }
        assignments.add("updated_at = now()");
        DatabaseClient.GenericExecuteSpec update = db.sql("UPDATE tenants SET " + String.join(", ", assignments)
                + " WHERE id = :id RETURNING " + COLUMNS).bind("id", id);
        for (Map.Entry<String, Object> value : values.entrySet()) {
            update = update.bind(value.getKey(), value.getValue());
        }
        return update.map(TenantRepository::toTenant).one();
    }

    /**
     * Replaces the tenant's key of this kind by the one with {@code newHash}, in one statement: the row is locked,
     * the old hash moves to {@code retired_tenant_keys} until {@code now() + grace} (not at all for a zero
     * grace), and expired retired keys are purged. Two rotations at once are serialised by the row lock, so each
     * retires the key the other installed. Empty when there is no such tenant.
     */
    public Mono<RotatedKey> rotateKey(UUID id, KeyKind kind, String newKey, String newHash, String newPrefix,
            Duration grace) {
        String hashColumn = kind == KeyKind.API_KEY ? "api_key_hash" : "widget_key_hash";
        String prefixColumn = kind == KeyKind.API_KEY ? "api_key_prefix" : "widget_key_prefix";
        double graceSeconds = grace.toNanos() / 1e9;
        return db.sql("WITH purged AS (DELETE FROM retired_tenant_keys WHERE expires_at <= now()),"
                        + " old AS (SELECT id, " + hashColumn + " AS key_hash, " + prefixColumn + " AS key_prefix"
                        + "     FROM tenants WHERE id = :id FOR UPDATE),"
                        + " retired AS (INSERT INTO retired_tenant_keys (key_hash, tenant_id, kind, key_prefix, expires_at)"
                        + "     SELECT key_hash, id, :kind, key_prefix, now() + make_interval(secs => :grace) FROM old"
                        + "     WHERE :grace > 0"
                        + "     ON CONFLICT (key_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at),"
                        + " updated AS (UPDATE tenants t SET " + hashColumn + " = :hash, " + prefixColumn + " = :prefix,"
                        + "     updated_at = now()"
                        + "     FROM old WHERE t.id = old.id RETURNING " + prefixed("t") + ")"
                        + " SELECT " + COLUMNS + ", CASE WHEN :grace > 0 THEN now() + make_interval(secs => :grace)"
                        + "     END AS previous_valid_until FROM updated")
                .bind("id", id)
                .bind("kind", kind.value())
                .bind("grace", graceSeconds)
                .bind("hash", newHash)
                .bind("prefix", newPrefix)
                .map(row -> {
                    OffsetDateTime until = row.get("previous_valid_until", OffsetDateTime.class);
                    return new RotatedKey(toTenant(row), kind, newKey, until == null ? null : until.toInstant());
                })
                .one();
    }

    /** Stores a new verification token, replacing any earlier one; empty when there is no such tenant. */
    public Mono<VerificationToken> storeVerificationToken(UUID id, String token) {
        return db.sql("UPDATE tenants SET verification_token = :token, verification_token_issued_at = now()"
                        + " WHERE id = :id RETURNING " + COLUMNS + ", verification_token, verification_token_issued_at")
                .bind("id", id)
                .bind("token", token)
                .map(TenantRepository::toVerificationToken)
                .one();
    }

    /** The tenant with its current verification token (the token {@code null} when none was issued). */
    public Mono<VerificationToken> findWithVerificationToken(UUID id) {
        return db.sql("SELECT " + COLUMNS + ", verification_token, verification_token_issued_at FROM tenants"
                        + " WHERE id = :id")
                .bind("id", id)
                .map(TenantRepository::toVerificationToken)
                .one();
    }

    /** Records a successful verification: now, by {@code method}. Empty when there is no such tenant. */
    public Mono<Tenant> markVerified(UUID id, String method, boolean changed) {
        return db.sql("UPDATE tenants SET verified_at = now(), verification_method = :method"
                        + (changed ? ", updated_at = now()" : "") + " WHERE id = :id RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("method", method)
                .map(TenantRepository::toTenant)
                .one();
    }

    /** The {@code llm_*} columns' values for {@code llm} (all null for the platform's default), in column order. */
    private static Map<String, String> llmValues(TenantLlm llm) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> of = llm == null ? Arrays.asList(null, null, null, null, null)
                : Arrays.asList(llm.provider(), llm.baseUrl(), llm.model(), llm.apiKeyEncrypted(),
                        llm.apiKeyHint());
        for (int i = 0; i < LLM_COLUMNS.size(); i++) {
            values.put(LLM_COLUMNS.get(i), of.get(i));
        }
        return values;
    }

    private static TenantLlm toLlm(Readable row) {
        String provider = row.get("llm_provider", String.class);
        return provider == null ? null : new TenantLlm(provider, row.get("llm_base_url", String.class),
                row.get("llm_model", String.class), row.get("llm_api_key_encrypted", String.class),
                row.get("llm_api_key_hint", String.class));
    }

    private static VerificationToken toVerificationToken(Readable row) {
        return new VerificationToken(toTenant(row), row.get("verification_token", String.class),
                toInstant(row.get("verification_token_issued_at", OffsetDateTime.class)));
    }

    private static String prefixed(String alias) {
        return COLUMN_NAMES.stream().map(column -> alias + "." + column).collect(Collectors.joining(", "));
    }

    private static Tenant toTenant(Readable row) {
        String[] origins = row.get("allowed_origins", String[].class);
        return new Tenant(
                row.get("id", UUID.class),
                row.get("domain", String.class),
                row.get("name", String.class),
                origins == null ? List.of() : Arrays.asList(origins),
                row.get("rate_limit_plan", String.class),
                row.get("support_email", String.class),
                TenantStatus.parse(row.get("status", String.class)),
                row.get("api_key_prefix", String.class),
                row.get("widget_key_prefix", String.class),
                toInstant(row.get("created_at", OffsetDateTime.class)),
                verification(row.get("verification_method", String.class),
                        toInstant(row.get("verified_at", OffsetDateTime.class))),
                toInstant(row.get("updated_at", OffsetDateTime.class)),
                toLlm(row));
    }

    private static DomainVerification verification(String method, Instant verifiedAt) {
        VerificationMethod parsed = VerificationMethod.parse(method);
        return parsed == null || verifiedAt == null ? null : new DomainVerification(parsed, verifiedAt);
    }

    private static Instant toInstant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
