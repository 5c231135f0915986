package dev.concierge.commerce.connection;

import dev.concierge.commerce.woocommerce.StoreCredentials;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code store_connections}: one row per tenant; credentials go in and come out through {@link CredentialCipher}. */
@Repository
public class StoreConnections {

    static final String KEY_COLUMN = "consumer_key";
    static final String SECRET_COLUMN = "consumer_secret";
    static final String WEBHOOK_COLUMN = "webhook_secret";

    private final DatabaseClient db;
    private final CredentialCipher cipher;

    public StoreConnections(DatabaseClient db, CredentialCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public Mono<StoreConnection> find(String tenantId) {
        return db.sql("select * from store_connections where tenant_id = :t").bind("t", tenantId)
                .map(StoreConnections::row).one();
    }

    /** The store's credentials, opened; errors with {@link CredentialCipher.Unreadable} under another key. */
    public StoreCredentials credentials(StoreConnection c) {
        return new StoreCredentials(c.tenantId(), c.storeUrl(), cipher.open(c.consumerKeyEnc(), c.tenantId(), KEY_COLUMN),
                cipher.open(c.consumerSecretEnc(), c.tenantId(), SECRET_COLUMN));
    }

    /** The connected store of a tenant, empty when none (or it has no credentials). */
    public Mono<StoreCredentials> credentials(String tenantId) {
        return find(tenantId).filter(StoreConnection::hasCredentials).map(this::credentials);
    }

    public Mono<String> webhookSecret(String tenantId) {
        return find(tenantId).filter(c -> c.webhookSecretEnc() != null)
                .map(c -> cipher.open(c.webhookSecretEnc(), tenantId, WEBHOOK_COLUMN));
    }

    /** The webhook secret of a connection, opened. */
    public String webhookSecretOf(StoreConnection c) {
        return cipher.open(c.webhookSecretEnc(), c.tenantId(), WEBHOOK_COLUMN);
    }

    /**
     * The tenant's webhook secret: the stored one when there is one that opens, so re-registering keeps deliveries
     * signed with it verifying; otherwise {@code fresh} is stored and answered. Two callers at once agree on one
     * secret: the new one is stored only if the column still holds what was read, else the winner's is read back.
     */
    public Mono<String> webhookSecretOrNew(String tenantId, java.util.function.Supplier<String> fresh) {
        return find(tenantId).flatMap(c -> {
            if (c.webhookSecretEnc() != null) {
                try {
                    return Mono.just(webhookSecretOf(c));
                } catch (CredentialCipher.Unreadable e) {
                    // sealed under another key: deliveries signed with it cannot be verified anyway; replace it
                }
            }
            String secret = fresh.get();
            return db.sql("""
                            update store_connections set webhook_secret_enc = :w
                            where tenant_id = :t and webhook_secret_enc is not distinct from :old""")
                    .bind("w", cipher.seal(secret, tenantId, WEBHOOK_COLUMN)).bind("t", tenantId)
                    .bind("old", nullable(c.webhookSecretEnc()))
                    .fetch().rowsUpdated()
                    .flatMap(n -> n > 0 ? Mono.just(secret) : webhookSecret(tenantId));
        });
    }

    public Mono<Void> saveWebhookSecret(String tenantId, String secret) {
        return db.sql("update store_connections set webhook_secret_enc = :w where tenant_id = :t")
                .bind("w", cipher.seal(secret, tenantId, WEBHOOK_COLUMN)).bind("t", tenantId).then();
    }

    /** Connects (or reconnects) a tenant's store; a new store URL forgets the previous sync position. */
    public Mono<Void> save(String tenantId, String platform, StoreCredentials store, String currency) {
        return db.sql("""
                        insert into store_connections (tenant_id, platform, store_url, status, connected_at, currency,
                            consumer_key_enc, consumer_secret_enc, key_id)
                        values (:t, :p, :u, 'connected', now(), :c, :k, :s, :kid)
                        on conflict (tenant_id) do update set platform = excluded.platform, store_url = excluded.store_url,
                            status = 'connected', connected_at = now(), currency = coalesce(excluded.currency, store_connections.currency),
                            consumer_key_enc = excluded.consumer_key_enc, consumer_secret_enc = excluded.consumer_secret_enc,
                            key_id = excluded.key_id, last_error = null,
                            webhook_secret_enc = case when store_connections.store_url = excluded.store_url
                                                      then store_connections.webhook_secret_enc end,
                            last_sync_at = case when store_connections.store_url = excluded.store_url
                                                then store_connections.last_sync_at end,
                            last_full_sync_at = case when store_connections.store_url = excluded.store_url
                                                     then store_connections.last_full_sync_at end""")
                .bind("t", tenantId).bind("p", platform).bind("u", store.storeUrl())
                .bind("c", nullable(currency))
                .bind("k", cipher.seal(store.consumerKey(), tenantId, KEY_COLUMN))
                .bind("s", cipher.seal(store.consumerSecret(), tenantId, SECRET_COLUMN))
                .bind("kid", cipher.keyId())
                .then();
    }

    /** Disconnects: the connection, its synced catalog and its webhook deliveries go. */
    public Mono<Boolean> delete(String tenantId) {
        return db.sql("delete from products where tenant_id = :t").bind("t", tenantId).then()
                .then(db.sql("delete from webhook_deliveries where tenant_id = :t").bind("t", tenantId).then())
                .then(db.sql("delete from store_connections where tenant_id = :t").bind("t", tenantId)
                        .fetch().rowsUpdated())
                .map(n -> n > 0);
    }

    public Mono<Void> markSynced(String tenantId, Instant startedAt, boolean full, String currency) {
        return db.sql("""
                        update store_connections set status = 'connected', last_error = null, last_sync_at = :s,
                            last_full_sync_at = case when :full then :s else last_full_sync_at end,
                            currency = coalesce(:c, currency)
                        where tenant_id = :t""")
                .bind("s", startedAt).bind("full", full)
                .bind("c", nullable(currency))
                .bind("t", tenantId).then();
    }

    public Mono<Void> markFailing(String tenantId, String error) {
        return db.sql("update store_connections set status = 'failing', last_error = :e where tenant_id = :t")
                .bind("e", error).bind("t", tenantId).then();
    }

    /** Tenants whose stores the scheduler syncs. */
    public Flux<StoreConnection> connected() {
        return db.sql("select * from store_connections where consumer_key_enc is not null")
                .map(StoreConnections::row).all();
    }

    /** A text value that may be null, as a typed bind parameter. */
    static Object nullable(String value) {
        return value == null ? io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.VARCHAR) : value;
    }

    private static StoreConnection row(Readable r) {
        return new StoreConnection(r.get("tenant_id", String.class), r.get("platform", String.class),
                r.get("store_url", String.class), r.get("status", String.class), instant(r, "connected_at"),
                r.get("currency", String.class), instant(r, "last_sync_at"), instant(r, "last_full_sync_at"),
                r.get("last_error", String.class), r.get("consumer_key_enc", String.class),
                r.get("consumer_secret_enc", String.class), r.get("webhook_secret_enc", String.class),
                r.get("key_id", String.class));
    }

    static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
