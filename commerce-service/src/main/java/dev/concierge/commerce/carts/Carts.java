package dev.concierge.commerce.carts;

import dev.concierge.contracts.CartAbandoned;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The carts table: one row per tenant and session, its status and last update. */
@Repository
class Carts {

    static final String ACTIVE = "active";
    static final String ABANDONED = "abandoned";
    static final String CHECKED_OUT = "checked_out";
    static final String EMPTIED = "emptied";

    /** One line of a cart. */
    record Item(Long productId, String sku, String name, int quantity, String price) {
    }

    /** A cart as the API shows it. */
    record Cart(String sessionId, List<Item> items, String total, String currency, String status, Instant updatedAt,
                Instant abandonedAt) {
    }

    private static final TypeReference<List<Item>> ITEMS = new TypeReference<>() { };

    private final DatabaseClient db;
    private final JsonMapper json;

    Carts(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The cart as it is now: active again (an abandoned cart revived), or emptied when it has no lines. */
    Mono<Cart> put(String tenant, String session, List<Item> items, String total, String currency) {
        var spec = db.sql("""
                        INSERT INTO carts (tenant_id, session_id, items, total, currency, status, updated_at)
                        VALUES (:t, :s, cast(:items as jsonb), :total, :currency, :status, clock_timestamp())
                        ON CONFLICT (tenant_id, session_id) DO UPDATE SET items = EXCLUDED.items, total = EXCLUDED.total,
                            currency = EXCLUDED.currency, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                            abandoned_at = NULL
                        RETURNING session_id, items::text AS items, total, currency, status, updated_at, abandoned_at""")
                .bind("t", tenant).bind("s", session).bind("items", json.writeValueAsString(items))
                .bind("status", items.isEmpty() ? EMPTIED : ACTIVE);
        spec = total == null ? spec.bindNull("total", String.class) : spec.bind("total", total);
        spec = currency == null ? spec.bindNull("currency", String.class) : spec.bind("currency", currency);
        return spec.map((row, meta) -> cart(row)).one();
    }

    Mono<Cart> checkedOut(String tenant, String session) {
        return db.sql("""
                        UPDATE carts SET status = 'checked_out', updated_at = clock_timestamp(), abandoned_at = NULL
                        WHERE tenant_id = :t AND session_id = :s
                        RETURNING session_id, items::text AS items, total, currency, status, updated_at, abandoned_at""")
                .bind("t", tenant).bind("s", session).map((row, meta) -> cart(row)).one();
    }

    Mono<Cart> find(String tenant, String session) {
        return db.sql("""
                        SELECT session_id, items::text AS items, total, currency, status, updated_at, abandoned_at
                        FROM carts WHERE tenant_id = :t AND session_id = :s""")
                .bind("t", tenant).bind("s", session).map((row, meta) -> cart(row)).one();
    }

    Mono<Void> forget(String tenant, String session) {
        return db.sql("DELETE FROM carts WHERE tenant_id = :t AND session_id = :s")
                .bind("t", tenant).bind("s", session).fetch().rowsUpdated().then();
    }

    /**
     * Marks up to {@code limit} active carts idle for longer than {@code idle} as abandoned and returns them, each
     * once: rows another instance is marking at the same moment are skipped.
     */
    Flux<CartAbandoned> abandonIdle(Duration idle, int limit) {
        return db.sql("""
                        UPDATE carts SET status = 'abandoned', abandoned_at = clock_timestamp()
                        WHERE (tenant_id, session_id) IN (
                            SELECT tenant_id, session_id FROM carts
                            WHERE status = 'active' AND updated_at < clock_timestamp() - make_interval(secs => :idle)
                            ORDER BY updated_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING tenant_id, session_id, items::text AS items, total, currency, updated_at, abandoned_at""")
                .bind("idle", idle.toMillis() / 1000.0).bind("limit", limit)
                .map((row, meta) -> new CartAbandoned(row.get("tenant_id", String.class), row.get("session_id", String.class),
                        json.readValue(row.get("items", String.class), ITEMS).stream()
                                .map(i -> new CartAbandoned.Item(i.productId(), i.sku(), i.name(), i.quantity(), i.price()))
                                .toList(),
                        row.get("total", String.class), row.get("currency", String.class),
                        row.get("updated_at", OffsetDateTime.class).toInstant(),
                        row.get("abandoned_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /** Puts a cart marked abandoned at {@code abandonedAt} back to active (its event could not be published). */
    Mono<Void> reactivate(String tenant, String session, Instant abandonedAt) {
        return db.sql("""
                        UPDATE carts SET status = 'active', abandoned_at = NULL
                        WHERE tenant_id = :t AND session_id = :s AND status = 'abandoned' AND abandoned_at = :at""")
                .bind("t", tenant).bind("s", session).bind("at", abandonedAt).fetch().rowsUpdated().then();
    }

    private Cart cart(io.r2dbc.spi.Row row) {
        OffsetDateTime abandoned = row.get("abandoned_at", OffsetDateTime.class);
        return new Cart(row.get("session_id", String.class), json.readValue(row.get("items", String.class), ITEMS),
                row.get("total", String.class), row.get("currency", String.class), row.get("status", String.class),
                row.get("updated_at", OffsetDateTime.class).toInstant(), abandoned == null ? null : abandoned.toInstant());
    }
}
