package dev.concierge.commerce.tools;

import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Order lookup for shoppers, live from the store ({@code GET /orders/{id}}; orders are never copied here). The
 * order number and the billing e-mail (trimmed, lower-cased) must both match; an unknown order and every mismatch
 * end the same way ({@link NotFound}), so an answer never tells which part was wrong. Failed lookups are counted
 * per session and per tenant over {@code COMMERCE_LOOKUP_WINDOW}; over the limit lookups are refused
 * ({@link Limited}) before the store is asked. Nothing here logs e-mail addresses or order contents.
 */
@Service
class OrderLookup {

    private final WooCommerceClient client;
    private final DatabaseClient db;
    private final CommerceProperties props;
    private final Duration failureFloor;

    /**
     * @param failureFloor the least time a failed lookup takes: an unknown order, a number that is not one and a
     *                     wrong e-mail all answer the same 404 after the same time, so the timing does not tell
     *                     which orders exist either
     */
    OrderLookup(WooCommerceClient client, DatabaseClient db, CommerceProperties props,
                @org.springframework.beans.factory.annotation.Value(
                        "${commerce.lookup-failure-floor:${COMMERCE_LOOKUP_FAILURE_FLOOR:PT0.5S}}") Duration failureFloor) {
        this.client = client;
        this.db = db;
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
        return checkLimits(tenantId, session)
                .then(number.matches("\\d{1,18}") ? client.getJson(store, "/orders/" + number, List.of())
                        // chat-service gives a tool call 3 s (CHAT_TOOL_TIMEOUT): answer "unavailable" before that
                        .timeout(props.liveTimeout(), Mono.error(new WooCommerceException(
                                WooCommerceException.Kind.TIMEOUT, 0, "the store did not answer in time")))
                        .onErrorResume(WooCommerceException.class, e -> e.kind() == WooCommerceException.Kind.NOT_FOUND
                                ? Mono.empty() : Mono.error(e))
                        : Mono.<JsonNode>empty())
                .filter(order -> matches(order, number, wanted))
                .map(OrderLookup::view)
                .switchIfEmpty(Mono.defer(() -> recordFailure(tenantId, session).then(Mono.error(new NotFound()))));
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

    private Mono<Void> checkLimits(String tenantId, String session) {
        Instant since = Instant.now().minus(props.lookupWindow());
        return db.sql("""
                        select count(*) filter (where session_id = :s) as by_session, count(*) as by_tenant,
                               min(failed_at) filter (where session_id = :s) as session_oldest, min(failed_at) as tenant_oldest
                        from order_lookup_failures where tenant_id = :t and failed_at > :since""")
                .bind("s", session).bind("t", tenantId).bind("since", since)
                .map(r -> {
                    long bySession = r.get("by_session", Long.class);
                    long byTenant = r.get("by_tenant", Long.class);
                    OffsetDateTime oldest = null;
                    if (bySession >= props.lookupSessionLimit()) {
                        oldest = r.get("session_oldest", OffsetDateTime.class);
                    } else if (byTenant >= props.lookupTenantLimit()) {
                        oldest = r.get("tenant_oldest", OffsetDateTime.class);
                    }
                    if (oldest == null) {
                        return 0L;
                    }
                    long wait = Duration.between(Instant.now(), oldest.toInstant().plus(props.lookupWindow())).toSeconds();
                    return Math.max(1L, wait + 1);
                })
                .one()
                .flatMap(wait -> wait > 0 ? Mono.error(new Limited(wait)) : Mono.empty());
    }

    private Mono<Void> recordFailure(String tenantId, String session) {
        return db.sql("insert into order_lookup_failures (tenant_id, session_id) values (:t, :s)")
                .bind("t", tenantId).bind("s", session).then()
                .then(db.sql("delete from order_lookup_failures where tenant_id = :t and failed_at < :before")
                        .bind("t", tenantId).bind("before", Instant.now().minus(props.lookupWindow())).then());
    }
}
