package dev.concierge.commerce.catalog;

import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.connection.StoreConnection;
import dev.concierge.commerce.connection.StoreConnections;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import dev.concierge.contracts.ProductChanged;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies a store's catalog into {@code products}/{@code product_variations}.
 * <ul>
 *   <li><b>full</b>: every product ({@code status=any}) and the variations of variable products; products we hold
 *       that the store no longer lists are deleted.</li>
 *   <li><b>incremental</b>: only products with {@code modified_after} the previous sync's start (minus a minute of
 *       clock skew, {@code dates_are_gmt=true}).</li>
 * </ul>
 * A product whose content did not change is "unchanged" and publishes nothing; a created, updated (including
 * now-trashed, which is deleted) or deleted product is written and published as {@code commerce.product-changed.v1},
 * and its live stock cache entry is dropped. A page's writes are one transaction; events follow its commit.
 * One sync per tenant at a time across instances: a lease in {@code sync_runs} ({@code COMMERCE_SYNC_LEASE}).
 */
@Service
public class CatalogSync {

    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);
    static final DateTimeFormatter WC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    private final StoreConnections connections;
    private final ProductStore products;
    private final WooCommerceClient client;
    private final ProductChangedPublisher publisher;
    private final LiveStockCache live;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final CommerceProperties props;
    private final Map<String, UUID> running = new ConcurrentHashMap<>();
    private final Map<UUID, Counters> progress = new ConcurrentHashMap<>();

    public CatalogSync(StoreConnections connections, ProductStore products, WooCommerceClient client,
                       ProductChangedPublisher publisher, LiveStockCache live, DatabaseClient db,
                       TransactionalOperator tx, JsonMapper json, CommerceProperties props) {
        this.connections = connections;
        this.products = products;
        this.client = client;
        this.publisher = publisher;
        this.live = live;
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.props = props;
    }

    /** What one product did to the catalog. */
    public enum Kind { CREATED, UPDATED, DELETED, UNCHANGED, REJECTED }

    public record Outcome(Kind kind, long productId, String name, List<String> reasons) {
    }

    public record Rejection(long productId, String name, List<String> reasons) {
    }

    /** A sync's import report. */
    public record Report(UUID syncId, String mode, String status, Instant startedAt, Instant finishedAt, int created,
                         int updated, int deleted, int unchanged, int rejected, List<Rejection> rejections, String error) {
    }

    /** A second sync of a tenant while one runs. */
    public static class AlreadyRunning extends RuntimeException {
        public final UUID syncId;

        AlreadyRunning(UUID syncId) {
            super("a sync of this store is already running: " + syncId);
            this.syncId = syncId;
        }
    }

    /** The tenant has no connected store to sync. */
    public static class NotConnected extends RuntimeException {
        NotConnected() {
            super("no store is connected for this tenant");
        }
    }

    static final class Counters {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger updated = new AtomicInteger();
        final AtomicInteger deleted = new AtomicInteger();
        final AtomicInteger unchanged = new AtomicInteger();
        final List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());

        void count(Outcome o) {
            switch (o.kind()) {
                case CREATED -> created.incrementAndGet();
                case UPDATED -> updated.incrementAndGet();
                case DELETED -> deleted.incrementAndGet();
                case UNCHANGED -> unchanged.incrementAndGet();
                case REJECTED -> rejections.add(new Rejection(o.productId(), o.name(), o.reasons()));
            }
        }
    }

    /**
     * Starts a sync in the background and answers its id. {@code mode} null picks full when the store was never
     * fully synced or the last full sync is older than {@code COMMERCE_FULL_SYNC_INTERVAL}, incremental otherwise.
     * One sync per store across every instance: the sync claims the store in {@code sync_runs} (see
     * {@link #claim}); while another one runs, {@link AlreadyRunning} names it.
     */
    public Mono<UUID> start(String tenantId, String mode) {
        return connections.find(tenantId).filter(StoreConnection::hasCredentials)
                .switchIfEmpty(Mono.error(new NotConnected()))
                .flatMap(conn -> {
                    UUID id = UUID.randomUUID();
                    UUID other = running.putIfAbsent(tenantId, id);
                    if (other != null) {
                        return Mono.error(new AlreadyRunning(other));
                    }
                    String chosen = mode != null ? mode
                            : conn.lastSyncAt() == null || conn.lastFullSyncAt() == null
                              || conn.lastFullSyncAt().plus(props.fullSyncInterval()).isBefore(Instant.now()) ? FULL : INCREMENTAL;
                    String effective = INCREMENTAL.equals(chosen) && conn.lastSyncAt() == null ? FULL : chosen;
                    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    Counters counters = new Counters();
                    return claim(tenantId, id, effective, startedAt)
                            .doOnError(e -> running.remove(tenantId, id))
                            .doOnSuccess(v -> {
                                progress.put(id, counters);
                                // the sync ends when it is done, or when another instance took its store over
                                Mono.firstWithSignal(run(conn, id, effective, startedAt, counters), leaseLost(id))
                                        .doFinally(s -> {
                                            running.remove(tenantId, id);
                                            progress.remove(id);
                                        })
                                        .subscribe(null, e -> log.warn("sync {} of tenant {} ended badly: {}", id, tenantId, e.toString()));
                            })
                            .thenReturn(id);
                });
    }

    /**
     * Claims the store for sync {@code id}: under the tenant's advisory lock (one transaction), a {@code running}
     * row of the tenant whose lease still holds means another sync runs ({@link AlreadyRunning} naming it); one
     * whose lease ran out (its instance died or stalled) is failed; then this sync's row is inserted, leased for
     * {@code COMMERCE_SYNC_LEASE}. The partial unique index {@code sync_runs_one_running} backs this up.
     */
    private Mono<Void> claim(String tenantId, UUID id, String mode, Instant startedAt) {
        double lease = props.syncLease().toMillis() / 1000.0;
        return db.sql("select pg_advisory_xact_lock(hashtext('sync_runs'), hashtext(:t))").bind("t", tenantId).then()
                .then(db.sql("""
                                select id, coalesce(lease_until, started_at + make_interval(secs => :l)) < now() as expired
                                from sync_runs where tenant_id = :t and status = 'running'""")
                        .bind("t", tenantId).bind("l", lease)
                        .map(r -> Map.entry(r.get("id", UUID.class), Boolean.TRUE.equals(r.get("expired", Boolean.class))))
                        .all().collectList())
                .flatMap(runs -> {
                    for (Map.Entry<UUID, Boolean> r : runs) {
                        if (!r.getValue()) {
                            return Mono.error(new AlreadyRunning(r.getKey()));
                        }
                    }
                    Mono<Void> abandon = runs.isEmpty() ? Mono.empty() : db.sql("""
                                    update sync_runs set status = 'failed', finished_at = now(),
                                        error = 'abandoned: the instance running it stopped renewing its lease'
                                    where tenant_id = :t and status = 'running'""")
                            .bind("t", tenantId).then()
                            .doOnSuccess(v -> log.warn("took over the store of tenant {} from an abandoned sync", tenantId));
                    return abandon.then(db.sql("""
                                    insert into sync_runs (id, tenant_id, mode, status, started_at, lease_until)
                                    values (:id, :t, :m, 'running', :s, now() + make_interval(secs => :l))""")
                            .bind("id", id).bind("t", tenantId).bind("m", mode).bind("s", startedAt).bind("l", lease)
                            .then());
                })
                .as(tx::transactional);
    }

    /**
     * Renews the lease of a running sync every quarter of {@code COMMERCE_SYNC_LEASE}; errors when the row is no
     * longer this sync's running one (another instance took the store over), which stops the sync.
     */
    private Mono<Void> leaseLost(UUID id) {
        Duration every = props.syncLease().dividedBy(4);
        return Flux.interval(every, every)
                .concatMap(tick -> db.sql("""
                                update sync_runs set lease_until = now() + make_interval(secs => :l)
                                where id = :id and status = 'running'""")
                        .bind("l", props.syncLease().toMillis() / 1000.0).bind("id", id)
                        .fetch().rowsUpdated()
                        .onErrorResume(e -> {
                            log.warn("could not renew the lease of sync {}: {}", id, e.toString());
                            return Mono.just(1L); // try again at the next tick: the lease lasts four of them
                        }))
                .filter(n -> n == 0)
                .next()
                .then(Mono.error(new IllegalStateException("sync " + id + " lost its lease to another instance")));
    }

    /** The tenant's sync running now, if any. */
    public UUID runningSync(String tenantId) {
        return running.get(tenantId);
    }

    public Mono<Report> report(String tenantId, UUID id) {
        return db.sql("select * from sync_runs where id = :id and tenant_id = :t").bind("id", id).bind("t", tenantId)
                .map(r -> {
                    Counters live = progress.get(id);
                    List<Rejection> rejections = live != null ? List.copyOf(live.rejections)
                            : json.readValue(r.get("rejections", String.class),
                            new tools.jackson.core.type.TypeReference<List<Rejection>>() { });
                    return new Report(id, r.get("mode", String.class), r.get("status", String.class),
                            r.get("started_at", java.time.OffsetDateTime.class).toInstant(),
                            r.get("finished_at", java.time.OffsetDateTime.class) == null ? null
                                    : r.get("finished_at", java.time.OffsetDateTime.class).toInstant(),
                            live != null ? live.created.get() : r.get("created", Integer.class),
                            live != null ? live.updated.get() : r.get("updated", Integer.class),
                            live != null ? live.deleted.get() : r.get("deleted", Integer.class),
                            live != null ? live.unchanged.get() : r.get("unchanged", Integer.class),
                            live != null ? live.rejections.size() : r.get("rejected", Integer.class),
                            rejections, r.get("error", String.class));
                }).one();
    }

    private Mono<Void> run(StoreConnection conn, UUID id, String mode, Instant startedAt, Counters counters) {
        String tenantId = conn.tenantId();
        boolean full = FULL.equals(mode);
        return Mono.fromCallable(() -> connections.credentials(conn)).flatMap(store -> currency(store, conn)
                .flatMap(currency -> {
                    Set<Long> seen = ConcurrentHashMap.newKeySet();
                    List<Map.Entry<String, String>> query = new ArrayList<>(List.of(Map.entry("orderby", "id"),
                            Map.entry("order", "asc")));
                    if (!full) {
                        query.add(Map.entry("modified_after", WC_TIME.format(conn.lastSyncAt().minus(1, ChronoUnit.MINUTES))));
                        query.add(Map.entry("dates_are_gmt", "true"));
                    }
                    Mono<Void> apply = client.getPages(store, "/products", query)
                            .<Outcome>concatMap(page -> {
                                page.forEach(p -> seen.add(ProductMapper.id(p)));
                                return applyPage(tenantId, store, page, currency.orElse(null));
                            })
                            .doOnNext(counters::count)
                            .then();
                    Mono<Void> removeMissing = !full ? Mono.empty() : products.hashes(tenantId)
                            .flatMapMany(known -> {
                                Set<Long> gone = new HashSet<>(known.keySet());
                                gone.removeAll(seen);
                                return Flux.fromIterable(gone);
                            })
                            .<Outcome>concatMap(pid -> applyDeletion(tenantId, pid))
                            .doOnNext(counters::count)
                            .then();
                    return apply.then(removeMissing)
                            .then(connections.markSynced(tenantId, startedAt, full, currency.orElse(null)));
                }))
                .then(Mono.defer(() -> finish(id, "completed", counters, null)))
                .onErrorResume(e -> {
                    String error = e instanceof WooCommerceException w ? w.kind().reason + ": " + w.getMessage()
                            : e.getMessage();
                    log.warn("sync {} ({}) of tenant {} failed: {}", id, mode, tenantId, error);
                    return connections.markFailing(tenantId, error).then(finish(id, "failed", counters, error));
                });
    }

    private Mono<java.util.Optional<String>> currency(StoreCredentials store, StoreConnection conn) {
        return client.getJson(store, "/data/currencies/current", List.of())
                .map(n -> java.util.Optional.<String>ofNullable(ProductMapper.text(n, "code")))
                .onErrorResume(e -> e instanceof WooCommerceException w && w.kind() != WooCommerceException.Kind.UNAUTHORIZED
                        && w.kind() != WooCommerceException.Kind.CIRCUIT_OPEN,
                        e -> Mono.just(java.util.Optional.ofNullable(conn.currency())));
    }

    private Mono<Void> finish(UUID id, String status, Counters c, String error) {
        return db.sql("""
                        update sync_runs set status = :s, finished_at = now(), created = :c, updated = :u, deleted = :d,
                            unchanged = :n, rejected = :r, rejections = cast(:rj as jsonb), error = :e where id = :id""")
                .bind("s", status).bind("c", c.created.get()).bind("u", c.updated.get()).bind("d", c.deleted.get())
                .bind("n", c.unchanged.get()).bind("r", c.rejections.size())
                .bind("rj", json.writeValueAsString(List.copyOf(c.rejections)))
                .bind("e", error == null ? io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.VARCHAR) : error)
                .bind("id", id).then();
    }

    /** A product as read from the store (its variations too), mapped, before it is compared with what we hold. */
    private record Incoming(long productId, boolean trashed, ProductMapper.Result result) {
    }

    /**
     * What writing one product did; once it is committed, its live stock is dropped when {@code invalidate} and
     * {@code event} (null: none) is published.
     */
    private record Written(Outcome outcome, boolean invalidate, ProductChanged event) {
        static Written nothing(Outcome outcome) {
            return new Written(outcome, false, null);
        }
    }

    /**
     * Applies one product as the store sent it (a webhook body): like one page of a sync ({@link #applyPage}).
     */
    public Mono<Outcome> applyProduct(String tenantId, StoreCredentials store, JsonNode p, String currency) {
        return applyPage(tenantId, store, List.of(p), currency).next();
    }

    /**
     * Applies a page of products as the store listed them: trashed → deleted; otherwise mapped (with the variations
     * of variable products, read from the store first), compared with what we hold, and written when it changed.
     * Every write of the page happens in one transaction, so a page is stored whole or not at all; only after
     * its commit are live-stock entries dropped and changes published.
     */
    Flux<Outcome> applyPage(String tenantId, StoreCredentials store, List<JsonNode> page, String currency) {
        return Flux.fromIterable(page).concatMap(p -> incoming(store, p, currency)).collectList()
                .flatMap(items -> Flux.fromIterable(items).concatMap(item -> write(tenantId, item)).collectList()
                        .as(tx::transactional))
                .flatMapMany(written -> Flux.fromIterable(written).concatMap(w -> committed(tenantId, w)));
    }

    private Mono<Incoming> incoming(StoreCredentials store, JsonNode p, String currency) {
        long id = ProductMapper.id(p);
        if ("trash".equals(ProductMapper.text(p, "status"))) {
            return Mono.just(new Incoming(id, true, null));
        }
        boolean variable = "variable".equals(ProductMapper.text(p, "type"))
                || (p.path("variations").isArray() && !p.path("variations").isEmpty());
        Mono<List<JsonNode>> variations = variable && id > 0
                ? client.getAll(store, "/products/" + id + "/variations", List.of()).collectList()
                : Mono.just(List.of());
        return variations.map(vs -> new Incoming(id, false, ProductMapper.map(p, vs, currency)));
    }

    private Mono<Written> write(String tenantId, Incoming item) {
        long id = item.productId();
        if (item.trashed()) {
            return deletion(tenantId, id);
        }
        ProductMapper.Result result = item.result();
        if (result.rejected()) {
            return Mono.just(Written.nothing(new Outcome(Kind.REJECTED, id, result.name(), result.reasons())));
        }
        ProductRecord product = result.product();
        String hash = product.contentHash();
        return products.version(tenantId, id).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(old -> {
                    if (old.isPresent() && old.get().hash().equals(hash)) {
                        return Mono.just(Written.nothing(new Outcome(Kind.UNCHANGED, id, product.name(), List.of())));
                    }
                    if (old.isPresent() && old.get().dateModified() != null && product.dateModified() != null
                            && product.dateModified().isBefore(old.get().dateModified())) {
                        // an older version than the one we hold: a late or replayed webhook must not undo a change
                        return Mono.just(Written.nothing(new Outcome(Kind.UNCHANGED, id, product.name(),
                                List.of("older than the stored version"))));
                    }
                    Kind kind = old.isPresent() ? Kind.UPDATED : Kind.CREATED;
                    return products.upsert(tenantId, product).thenReturn(new Written(
                            new Outcome(kind, id, product.name(), List.of()), true,
                            new ProductChanged(tenantId, id, kind == Kind.CREATED ? ProductChanged.CREATED : ProductChanged.UPDATED,
                                    product.snapshot(), Instant.now())));
                });
    }

    private Mono<Written> deletion(String tenantId, long productId) {
        return products.delete(tenantId, productId).map(existed -> existed
                ? new Written(new Outcome(Kind.DELETED, productId, null, List.of()), true,
                        new ProductChanged(tenantId, productId, ProductChanged.DELETED, null, Instant.now()))
                : new Written(new Outcome(Kind.UNCHANGED, productId, null, List.of()), true, null));
    }

    private Mono<Outcome> committed(String tenantId, Written w) {
        if (w.invalidate()) {
            live.invalidate(tenantId, w.outcome().productId());
        }
        return w.event() == null ? Mono.just(w.outcome()) : publisher.publish(w.event()).thenReturn(w.outcome());
    }

    /** Removes a product the store deleted or trashed; publishes only when we held it. */
    public Mono<Outcome> applyDeletion(String tenantId, long productId) {
        return deletion(tenantId, productId).as(tx::transactional).flatMap(w -> committed(tenantId, w));
    }
}
