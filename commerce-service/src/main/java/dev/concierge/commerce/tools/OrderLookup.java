package dev.concierge.commerce.tools;

import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Order lookup for shoppers, live from the store ({@code GET /orders/{id}}; orders are never copied here). The
 * order number and the billing e-mail (trimmed, lower-cased) must both match; an unknown order and every mismatch
 * end the same way ({@link NotFound}), so an answer never tells which part was wrong. Failed lookups are counted
 * per session and per tenant over {@code COMMERCE_LOOKUP_WINDOW}; over the limit lookups are refused
 * ({@link Limited}) before the store is asked. Nothing here logs e-mail addresses or order contents.
 * <p>
 * The count is atomic across instances sharing the database: every lookup first reserves an attempt, a row in
 * {@code order_lookup_failures} inserted in a transaction holding the tenant's advisory lock
 * ({@code pg_advisory_xact_lock}) after counting the window's rows, in-flight attempts included. A parallel burst
 * therefore gets at most the limit's worth of store calls; the rest are refused. The reservation is deleted when
 * the order is found (a success never counts) or the store could not answer (not the shopper's failure); it stays
 * as the failure otherwise, also when the caller hung up mid-lookup.
 */
@Service
class OrderLookup {

    private final WooCommerceClient client;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final CommerceProperties props;
    private final Duration failureFloor;

    /**
     * @param failureFloor the least time a failed lookup takes: an unknown order, a number that is not one and a
     *                     wrong e-mail all answer the same 404 after the same time, so the timing does not tell
     *                     which orders exist either
     */
    OrderLookup(WooCommerceClient client, DatabaseClient db, TransactionalOperator tx, CommerceProperties props,
                @org.springframework.beans.factory.annotation.Value(
                        "${commerce.lookup-failure-floor:${COMMERCE_LOOKUP_FAILURE_FLOOR:PT0.5S}}") Duration failureFloor) {
        this.client = client;
        this.db = db;
        this.tx = tx;
        this.props = props;
        this.failureFloor = failureFloor;
    }

    record Item(String name, int quantity) {
    }

    record Tracking(String carrier, String number, String url) {
    }

    record OrderView(String orderNumber, String status, String createdAt, List<Item> items, Tracking tracking) {
    }

    static class NotFound extends RuntimeException {
        NotFound() {
            super("no order matches this order number and e-mail address");
        }
    }

    static class Limited extends RuntimeException {
        final long retryAfterSeconds;

        Limited(long retryAfterSeconds) {
            super("too many failed order lookups; try again later");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    Mono<OrderView> lookup(String tenantId, String sessionId, StoreCredentials store, String orderNumber, String email) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return lookupNow(tenantId, sessionId, store, orderNumber, email)
                    .onErrorResume(NotFound.class, e -> {
                        Duration left = failureFloor.minusNanos(System.nanoTime() - start);
                        return (left.isNegative() ? Mono.<Long>empty() : Mono.delay(left).then(Mono.<Long>empty()))
                                .then(Mono.error(e));
                    });
        });
    }

    private Mono<OrderView> lookupNow(String tenantId, String sessionId, StoreCredentials store, String orderNumber,
                                      String email) {
        String session = sessionId == null || sessionId.isBlank() ? "-" : sessionId.strip();
        String number = orderNumber.strip().replaceFirst("^#", "");
        String wanted = email.strip().toLowerCase(Locale.ROOT);
        return reserve(tenantId, session).flatMap(attempt -> ask(store, number)
                .filter(order -> matches(order, number, wanted))
                .map(OrderLookup::view)
                // found: not a failure, the reservation goes
                .flatMap(view -> release(attempt).thenReturn(view))
                // not found or a mismatch: the reservation stays, counted as the failure
                .switchIfEmpty(Mono.error(NotFound::new))
                // the store did not answer: not the shopper's failure either
                .onErrorResume(WooCommerceException.class, e -> release(attempt).then(Mono.error(e))));
    }

    /** The order as the store has it; empty when it has none (or the number cannot be one). */
    private Mono<JsonNode> ask(StoreCredentials store, String number) {
        if (!number.matches("\\d{1,18}")) {
            return Mono.empty();
        }
        return client.getJson(store, "/orders/" + number, List.of())
                // chat-service gives a tool call 3 s (CHAT_TOOL_TIMEOUT): answer "unavailable" before that
                .timeout(props.liveTimeout(), Mono.error(new WooCommerceException(
                        WooCommerceException.Kind.TIMEOUT, 0, "the store did not answer in time")))
                .onErrorResume(WooCommerceException.class, e -> e.kind() == WooCommerceException.Kind.NOT_FOUND
                        ? Mono.empty() : Mono.error(e));
    }

    private static boolean matches(JsonNode order, String number, String email) {
        String billing = order.path("billing").path("email").asString("").strip().toLowerCase(Locale.ROOT);
        String orderNumber = order.path("number").asString(order.path("id").asString("")).strip();
        boolean emailOk = MessageDigest.isEqual(billing.getBytes(StandardCharsets.UTF_8), email.getBytes(StandardCharsets.UTF_8));
        return emailOk & !billing.isEmpty() & number.equals(orderNumber);
    }

    private static OrderView view(JsonNode o) {
        List<Item> items = new ArrayList<>();
        for (JsonNode li : o.path("line_items")) {
            items.add(new Item(li.path("name").asString(""), li.path("quantity").asInt(1)));
        }
        String created = o.path("date_created_gmt").asString("");
        String createdAt = created.isEmpty() ? o.path("date_created").asString(null)
                : created.endsWith("Z") || created.contains("+") ? created : created + "Z";
        return new OrderView(o.path("number").asString(o.path("id").asString("")), o.path("status").asString(null),
                createdAt, items, tracking(o.path("meta_data")));
    }

    /** Shipment Tracking plugin ({@code _wc_shipment_tracking_items}, the latest entry) or plain tracking meta. */
    static Tracking tracking(JsonNode meta) {
        String number = null;
        String carrier = null;
        String url = null;
        for (JsonNode m : meta) {
            String key = m.path("key").asString("");
            JsonNode value = m.path("value");
            if (key.equals("_wc_shipment_tracking_items") && value.isArray() && !value.isEmpty()) {
                JsonNode t = value.get(value.size() - 1);
                String provider = t.path("custom_tracking_provider").asString("");
                return new Tracking(provider.isBlank() ? blank(t.path("tracking_provider").asString(null)) : provider,
                        blank(t.path("tracking_number").asString(null)), blank(t.path("custom_tracking_link").asString(null)));
            }
            switch (key) {
                case "_tracking_number", "tracking_number" -> number = blank(value.asString(null));
                case "_tracking_provider", "tracking_provider", "_tracking_carrier" -> carrier = blank(value.asString(null));
                case "_tracking_url", "tracking_url", "_tracking_link" -> url = blank(value.asString(null));
                default -> { }
            }
        }
        return number == null ? null : new Tracking(carrier, number, url);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Counts the window's failed and in-flight lookups of the tenant and of the session and, below both limits,
     * reserves one more attempt (answering its id); at a limit, {@link Limited}. One transaction holding the
     * tenant's advisory lock, so lookups of one tenant reserve one after another whichever instance runs them.
     * Times are the database's, so instances with skewed clocks agree on the window.
     */
    private Mono<Long> reserve(String tenantId, String session) {
        double window = props.lookupWindow().toMillis() / 1000.0;
        Mono<Long> reservation = db.sql("select pg_advisory_xact_lock(hashtext('order_lookup_failures'), hashtext(:t))")
                .bind("t", tenantId).then()
                .then(db.sql("""
                                select count(*) filter (where session_id = :s) as by_session, count(*) as by_tenant,
                                       extract(epoch from min(failed_at) filter (where session_id = :s)
                                               + make_interval(secs => :w) - now()) as session_wait,
                                       extract(epoch from min(failed_at) + make_interval(secs => :w) - now()) as tenant_wait
                                from order_lookup_failures
                                where tenant_id = :t and failed_at > now() - make_interval(secs => :w)""")
                        .bind("s", session).bind("t", tenantId).bind("w", window)
                        .map(r -> {
                            BigDecimal wait = null;
                            if (r.get("by_session", Long.class) >= props.lookupSessionLimit()) {
                                wait = r.get("session_wait", BigDecimal.class);
                            } else if (r.get("by_tenant", Long.class) >= props.lookupTenantLimit()) {
                                wait = r.get("tenant_wait", BigDecimal.class);
                            }
                            return wait == null ? 0L : Math.max(1L, (long) Math.ceil(wait.doubleValue()));
                        })
                        .one())
                .flatMap(wait -> wait > 0 ? Mono.error(new Limited(wait))
                        : db.sql("delete from order_lookup_failures where tenant_id = :t and failed_at < now() - make_interval(secs => :w)")
                        .bind("t", tenantId).bind("w", window).then()
                        .then(db.sql("insert into order_lookup_failures (tenant_id, session_id) values (:t, :s) returning id")
                                .bind("t", tenantId).bind("s", session).map(r -> r.get("id", Long.class)).one()));
        return reservation.as(tx::transactional);
    }

    private Mono<Void> release(long attempt) {
        return db.sql("delete from order_lookup_failures where id = :id").bind("id", attempt).then();
    }
}
