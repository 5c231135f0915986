package dev.concierge.commerce.tools;

import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The commerce tools chat-service calls, by their contract (docs/architecture.md "Commerce tools"):
 * <ul>
 *   <li>{@code GET /api/commerce/products?q=&limit=} — search_products</li>
 *   <li>{@code GET /api/commerce/products/{ref}} — get_product (id or SKU)</li>
 *   <li>{@code GET /api/commerce/products/{ref}/stock} — check_stock</li>
 *   <li>{@code POST /api/commerce/orders/lookup} {@code {"order_number","email"}} — lookup_order</li>
 * </ul>
 * Arguments are validated here (400 problem naming the field). Until a store is connected and its catalog
 * synced, every tool answers {@code 409 store-not-connected}: chat-service says so honestly instead of
 * guessing from page text.
 */
@RestController
class ToolsController {

    static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ORDER_NUMBER = Pattern.compile("#?[A-Za-z0-9-]{1,32}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}");
    static final int MAX_QUERY = 200;

    private final DatabaseClient db;

    ToolsController(DatabaseClient db) {
        this.db = db;
    }

    record LookupOrder(String orderNumber, String email) {
    }

    @GetMapping("/api/commerce/products")
    Mono<Object> searchProducts(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                @RequestParam(name = "q", required = false) String q,
                                @RequestParam(name = "limit", required = false) String limit) {
        String tenant = tenant(tenantId);
        if (q == null || q.isBlank()) {
            throw BadRequest.of("q", "must not be empty");
        }
        if (q.length() > MAX_QUERY) {
            throw BadRequest.of("q", "must be at most " + MAX_QUERY + " characters");
        }
        BadRequest.intParam("limit", limit, 5, 1, 20);
        return notConnectedYet(tenant);
    }

    @GetMapping("/api/commerce/products/{ref}")
    Mono<Object> getProduct(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                            @PathVariable("ref") String ref) {
        String tenant = tenant(tenantId);
        ref(ref);
        return notConnectedYet(tenant);
    }

    @GetMapping("/api/commerce/products/{ref}/stock")
    Mono<Object> checkStock(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                            @PathVariable("ref") String ref) {
        String tenant = tenant(tenantId);
        ref(ref);
        return notConnectedYet(tenant);
    }

    @PostMapping("/api/commerce/orders/lookup")
    Mono<Object> lookupOrder(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
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
        return notConnectedYet(tenant);
    }

    /**
     * The catalog and order lookup need a connected, synced store (the commerce issue builds connecting
     * and syncing). A tenant with no connection row is not connected; one with a row has no synced catalog.
     */
    private Mono<Object> notConnectedYet(String tenant) {
        return db.sql("select 1 from store_connections where tenant_id = :t").bind("t", tenant)
                .map((row, meta) -> Boolean.TRUE).first().hasElement()
                .flatMap(connected -> Mono.error(new StoreNotConnected(connected)));
    }

    @ExceptionHandler(StoreNotConnected.class)
    ProblemDetail notConnected(StoreNotConnected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/store-not-connected"));
        problem.setTitle("Store not connected");
        problem.setProperty("connected", e.connected);
        return problem;
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
