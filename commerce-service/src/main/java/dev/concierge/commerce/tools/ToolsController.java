package dev.concierge.commerce.tools;

import dev.concierge.commerce.catalog.LiveStockCache;
import dev.concierge.commerce.catalog.LiveStockCache.LiveStock;
import dev.concierge.commerce.catalog.LiveStockCache.VariationStock;
import dev.concierge.commerce.catalog.ProductMapper;
import dev.concierge.commerce.catalog.ProductRecord;
import dev.concierge.commerce.catalog.ProductStore;
import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.connection.CredentialCipher;
import dev.concierge.commerce.connection.StoreConnection;
import dev.concierge.commerce.connection.StoreConnections;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The commerce tools chat-service calls, by their contract (docs/architecture.md "Commerce tools"):
 * <ul>
 *   <li>{@code GET /api/commerce/products?q=&limit=} — search_products, over the synced catalog (published only)</li>
 *   <li>{@code GET /api/commerce/products/{ref}} — get_product (id or SKU) with its variations</li>
 *   <li>{@code GET /api/commerce/products/{ref}/stock} — check_stock, live from the store ({@code source:"live"}),
 *       the synced value when the store does not answer ({@code source:"synced"})</li>
 *   <li>{@code POST /api/commerce/orders/lookup} {@code {"order_number","email"}} — lookup_order, live</li>
 * </ul>
 * Arguments are validated here (400 problem naming the field). A tenant without a connected store whose catalog
 * has been synced gets {@code 409 store-not-connected}. Live stock read in the last {@code COMMERCE_LIVE_TTL}
 * wins over the synced values in every answer.
 */
@RestController
class ToolsController {

    static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ORDER_NUMBER = Pattern.compile("#?[A-Za-z0-9-]{1,32}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}");
    static final int MAX_QUERY = 200;
    /** pg_trgm word similarity a term needs to match a name or category: "pumps"→"pump" 0.67, "helmit"→"helmet" 0.57. */
    static final double FUZZY_THRESHOLD = 0.45;

    private final StoreConnections connections;
    private final ProductStore products;
    private final LiveStockCache live;
    private final WooCommerceClient client;
    private final OrderLookup orders;
    private final CommerceProperties props;

    ToolsController(StoreConnections connections, ProductStore products, LiveStockCache live, WooCommerceClient client,
                    OrderLookup orders, CommerceProperties props) {
        this.connections = connections;
        this.products = products;
        this.live = live;
        this.client = client;
        this.orders = orders;
        this.props = props;
    }

    record LookupOrder(String orderNumber, String email) {
        @Override
        public String toString() {
            return "LookupOrder[<redacted>]";
        }
    }

    @GetMapping("/api/commerce/products")
    Mono<Map<String, Object>> searchProducts(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                             @RequestParam(name = "q", required = false) String q,
                                             @RequestParam(name = "limit", required = false) String limit) {
        String tenant = tenant(tenantId);
        if (q == null || q.isBlank()) {
            throw BadRequest.of("q", "must not be empty");
        }
        if (q.length() > MAX_QUERY) {
            throw BadRequest.of("q", "must be at most " + MAX_QUERY + " characters");
        }
        int max = BadRequest.intParam("limit", limit, 5, 1, 20);
        List<String> terms = SearchTerms.of(q);
        return synced(tenant).flatMap(conn -> terms.isEmpty() ? Mono.just(List.<Map<String, Object>>of())
                        : products.search(tenant, terms, max, FUZZY_THRESHOLD)
                        .map(s -> summary(tenant, s.product())).collectList())
                .map(list -> Map.of("products", list));
    }

    @GetMapping("/api/commerce/products/{ref}")
    Mono<Map<String, Object>> getProduct(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                         @PathVariable("ref") String ref) {
        String tenant = tenant(tenantId);
        ref(ref);
        return synced(tenant).then(products.findPublished(tenant, ref))
                .switchIfEmpty(Mono.error(new ProductNotFound()))
                .flatMap(s -> products.variations(tenant, s.product().productId()).collectList().map(vs -> {
                    Map<String, Object> body = summary(tenant, s.product());
                    body.put("short_description", s.product().shortDescription());
                    LiveStock l = live.get(tenant, s.product().productId());
                    body.put("variations", vs.stream().map(v -> variation(v, l)).toList());
                    body.put("synced_at", s.syncedAt());
                    return body;
                }));
    }

    @GetMapping("/api/commerce/products/{ref}/stock")
    Mono<Map<String, Object>> checkStock(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                         @PathVariable("ref") String ref) {
        String tenant = tenant(tenantId);
        ref(ref);
        return synced(tenant).flatMap(conn -> products.findPublished(tenant, ref)
                .switchIfEmpty(Mono.error(new ProductNotFound()))
                .flatMap(s -> products.variations(tenant, s.product().productId()).collectList()
                        .flatMap(vs -> liveStock(conn, s.product())
                                .map(l -> stockBody(s.product(), vs, l, null))
                                .onErrorResume(e -> !(e instanceof ProductNotFound),
                                        e -> Mono.just(stockBody(s.product(), vs, null, s.syncedAt()))))));
    }

    @PostMapping("/api/commerce/orders/lookup")
    Mono<OrderLookup.OrderView> lookupOrder(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                            @RequestHeader(name = "X-Session-Id", required = false) String sessionId,
                                            @RequestBody(required = false) LookupOrder body) {
        String tenant = tenant(tenantId);
        if (body == null) {
            throw BadRequest.of("order_number", "order_number and email are both required");
        }
        if (body.orderNumber() == null || !ORDER_NUMBER.matcher(body.orderNumber().strip()).matches()) {
            throw BadRequest.of("order_number", "must be the order number, e.g. 1234");
        }
        if (body.email() == null || !EMAIL.matcher(body.email().strip().toLowerCase(Locale.ROOT)).matches()) {
            throw BadRequest.of("email", "must be the e-mail address the order was placed with");
        }
        return synced(tenant).flatMap(conn -> credentials(conn)
                .switchIfEmpty(Mono.error(new StoreNotConnected(true)))
                .flatMap(store -> orders.lookup(tenant, sessionId, store, body.orderNumber(), body.email())));
    }

    /** The tenant's connection once its catalog has been synced; 409 store-not-connected otherwise. */
    private Mono<StoreConnection> synced(String tenant) {
        return connections.find(tenant)
                .switchIfEmpty(Mono.error(new StoreNotConnected(false)))
                .flatMap(c -> c.lastSyncAt() == null ? Mono.error(new StoreNotConnected(true)) : Mono.just(c));
    }

    private Mono<StoreCredentials> credentials(StoreConnection c) {
        if (!c.hasCredentials()) {
            return Mono.empty();
        }
        try {
            return Mono.just(connections.credentials(c));
        } catch (CredentialCipher.Unreadable e) {
            return Mono.empty();
        }
    }

    /** Live stock of a product (and its variations), from the cache or the store. */
    private Mono<LiveStock> liveStock(StoreConnection conn, ProductRecord p) {
        LiveStock cached = live.get(conn.tenantId(), p.productId());
        if (cached != null) {
            return Mono.just(cached);
        }
        long generation = live.generation();
        return credentials(conn).switchIfEmpty(Mono.error(new IllegalStateException("no readable credentials")))
                .flatMap(store -> client.getJson(store, "/products/" + p.productId(), List.of())
                        .flatMap(node -> {
                            boolean variable = "variable".equals(ProductMapper.text(node, "type"))
                                    || (node.path("variations").isArray() && !node.path("variations").isEmpty());
                            Mono<List<JsonNode>> vs = variable
                                    ? client.getAll(store, "/products/" + p.productId() + "/variations", List.of()).collectList()
                                    : Mono.just(List.of());
                            return vs.map(list -> toLive(p.productId(), node, list));
                        }))
                .timeout(props.liveTimeout())
                .onErrorMap(WooCommerceException.class, e -> e.kind() == WooCommerceException.Kind.NOT_FOUND
                        ? new ProductNotFound() : e)
                .doOnNext(l -> live.put(conn.tenantId(), l, generation));
    }

    private static LiveStock toLive(long productId, JsonNode node, List<JsonNode> variations) {
        List<VariationStock> vs = new ArrayList<>();
        for (JsonNode v : variations) {
            vs.add(new VariationStock(ProductMapper.id(v), ProductMapper.text(v, "sku"), ProductMapper.text(v, "stock_status"),
                    quantity(v), ProductMapper.text(v, "price")));
        }
        return new LiveStock(productId, ProductMapper.text(node, "stock_status"), quantity(node),
                node.path("manage_stock").asBoolean(false), ProductMapper.text(node, "price"), vs, Instant.now());
    }

    private static Integer quantity(JsonNode n) {
        JsonNode q = n.get("stock_quantity");
        return q == null || q.isNull() || !q.isNumber() ? null : q.asInt();
    }

    private Map<String, Object> stockBody(ProductRecord p, List<ProductRecord.Variation> vs, LiveStock l, Instant syncedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", p.productId());
        body.put("name", p.name());
        body.put("sku", p.sku());
        body.put("stock_status", l != null ? l.stockStatus() : p.stockStatus());
        body.put("stock_quantity", l != null ? l.stockQuantity() : p.stockQuantity());
        body.put("manage_stock", l != null ? l.manageStock() : p.manageStock());
        body.put("variations", vs.stream().map(v -> {
            Map<String, Object> m = variation(v, l);
            m.remove("price");
            return m;
        }).toList());
        body.put("source", l != null ? "live" : "synced");
        if (l != null) {
            body.put("checked_at", l.checkedAt());
        } else {
            body.put("synced_at", syncedAt);
        }
        return body;
    }

    private Map<String, Object> summary(String tenant, ProductRecord p) {
        LiveStock l = live.get(tenant, p.productId());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.productId());
        m.put("name", p.name());
        m.put("sku", p.sku());
        m.put("type", p.type()); // "variable": check_stock answers per variation (size, colour)
        m.put("price", l != null && l.price() != null && !l.price().isBlank() ? l.price() : ProductRecord.money(p.price()));
        m.put("regular_price", ProductRecord.money(p.regularPrice()));
        m.put("sale_price", ProductRecord.money(p.salePrice()));
        m.put("currency", p.currency());
        m.put("stock_status", l != null ? l.stockStatus() : p.stockStatus());
        m.put("stock_quantity", l != null ? l.stockQuantity() : p.stockQuantity());
        m.put("permalink", p.permalink());
        m.put("categories", p.categories());
        return m;
    }

    private static Map<String, Object> variation(ProductRecord.Variation v, LiveStock l) {
        VariationStock lv = l == null ? null : l.variations().stream().filter(x -> x.id() == v.id()).findFirst().orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("sku", v.sku());
        m.put("attributes", v.attributes().stream().map(a -> Map.of("name", a.name(), "option", a.option())).toList());
        m.put("price", lv != null && lv.price() != null && !lv.price().isBlank() ? lv.price() : ProductRecord.money(v.price()));
        m.put("stock_status", lv != null ? lv.stockStatus() : v.stockStatus());
        m.put("stock_quantity", lv != null ? lv.stockQuantity() : v.stockQuantity());
        return m;
    }

    static final class ProductNotFound extends RuntimeException {
        ProductNotFound() {
            super("no published product with this id or SKU");
        }
    }

    @ExceptionHandler(StoreNotConnected.class)
    ProblemDetail notConnected(StoreNotConnected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/store-not-connected"));
        problem.setTitle("Store not connected");
        problem.setProperty("connected", e.connected);
        return problem;
    }

    @ExceptionHandler(ProductNotFound.class)
    ProblemDetail productNotFound(ProductNotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/product-not-found"));
        problem.setTitle("Product not found");
        return problem;
    }

    @ExceptionHandler(OrderLookup.NotFound.class)
    ProblemDetail orderNotFound(OrderLookup.NotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/order-not-found"));
        problem.setTitle("Order not found");
        return problem;
    }

    @ExceptionHandler(OrderLookup.Limited.class)
    ResponseEntity<ProblemDetail> limited(OrderLookup.Limited e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/order-lookup-limited"));
        problem.setTitle("Too many order lookups");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds)).body(problem);
    }

    @ExceptionHandler(WooCommerceException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(WooCommerceException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the store could not be asked right now (" + e.kind().reason + ")");
        problem.setType(URI.create("https://concierge.dev/problems/store-unavailable"));
        problem.setTitle("Store unavailable");
        problem.setProperty("reason", e.kind().reason);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30").body(problem);
    }

    private static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        return tenantId;
    }

    private static void ref(String ref) {
        if (ref == null || !REF.matcher(ref).matches()) {
            throw BadRequest.of("ref", "must be a product id or SKU (letters, digits, '.', '_', '-'; at most 64)");
        }
    }
}
