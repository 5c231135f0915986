package dev.concierge.commerce.carts;

import dev.concierge.kit.web.BadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Shoppers' carts, as the store (a cart plugin, server to server with the tenant's key) or the widget reports
 * them, so idle ones can be published as abandoned ({@link CartAbandoner}):
 * <ul>
 *   <li>{@code PUT /api/commerce/carts/{session_id}} {@code {"items":[{"product_id","sku","name","quantity","price"}],
 *       "total","currency"}} — the cart as it is now (an empty list: the shopper emptied it); 200 with the cart</li>
 *   <li>{@code POST /api/commerce/carts/{session_id}/checkout} — the cart was ordered: never abandoned</li>
 *   <li>{@code GET /api/commerce/carts/{session_id}} — the cart, e.g. for the chat to mention when the shopper
 *       returns; 404 when unknown</li>
 *   <li>{@code DELETE /api/commerce/carts/{session_id}} — forget it (204)</li>
 * </ul>
 * Invalid input is a 400 problem naming the field. Carts hold no personal data.
 */
@RestController
class CartController {

    static final Pattern SESSION = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern PRICE = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,4})?");
    static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    static final int MAX_ITEMS = 200;

    private final Carts carts;

    CartController(Carts carts) {
        this.carts = carts;
    }

    record ItemIn(Long productId, String sku, String name, Integer quantity, String price) {
    }

    record CartIn(List<ItemIn> items, String total, String currency) {
    }

    @PutMapping("/api/commerce/carts/{session}")
    Mono<Carts.Cart> put(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                         @PathVariable("session") String session, @RequestBody(required = false) CartIn body) {
        String tenant = tenant(tenantId);
        session(session);
        if (body == null || body.items() == null) {
            throw BadRequest.of("items", "the cart's items are required (an empty list when the shopper emptied it)");
        }
        if (body.items().size() > MAX_ITEMS) {
            throw BadRequest.of("items", "at most " + MAX_ITEMS + " lines");
        }
        List<Carts.Item> items = new ArrayList<>();
        for (int i = 0; i < body.items().size(); i++) {
            ItemIn in = body.items().get(i);
            String at = "items[" + i + "]";
            if (in == null || in.name() == null || in.name().isBlank() || in.name().length() > 300) {
                throw BadRequest.of(at + ".name", "every line needs the product's name (at most 300 characters)");
            }
            if (in.quantity() == null || in.quantity() < 1 || in.quantity() > 10_000) {
                throw BadRequest.of(at + ".quantity", "must be from 1 to 10000");
            }
            if (in.productId() != null && in.productId() < 1) {
                throw BadRequest.of(at + ".product_id", "must be the store's product id");
            }
            if (in.sku() != null && in.sku().length() > 100) {
                throw BadRequest.of(at + ".sku", "at most 100 characters");
            }
            if (in.price() != null && !PRICE.matcher(in.price()).matches()) {
                throw BadRequest.of(at + ".price", "must be a decimal amount such as 44.95");
            }
            items.add(new Carts.Item(in.productId(), in.sku(), in.name().strip(), in.quantity(), in.price()));
        }
        if (body.total() != null && !PRICE.matcher(body.total()).matches()) {
            throw BadRequest.of("total", "must be a decimal amount such as 44.95");
        }
        if (body.currency() != null && !CURRENCY.matcher(body.currency()).matches()) {
            throw BadRequest.of("currency", "must be an ISO 4217 code such as EUR");
        }
        return carts.put(tenant, session, items, body.total(), body.currency());
    }

    @PostMapping("/api/commerce/carts/{session}/checkout")
    Mono<Carts.Cart> checkout(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                              @PathVariable("session") String session) {
        String tenant = tenant(tenantId);
        session(session);
        return carts.checkedOut(tenant, session).switchIfEmpty(Mono.error(notFound()));
    }

    @GetMapping("/api/commerce/carts/{session}")
    Mono<Carts.Cart> get(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                         @PathVariable("session") String session) {
        String tenant = tenant(tenantId);
        session(session);
        return carts.find(tenant, session).switchIfEmpty(Mono.error(notFound()));
    }

    @DeleteMapping("/api/commerce/carts/{session}")
    Mono<ResponseEntity<Void>> delete(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                      @PathVariable("session") String session) {
        String tenant = tenant(tenantId);
        session(session);
        return carts.forget(tenant, session).thenReturn(ResponseEntity.noContent().build());
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No cart for this session");
    }

    private static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        return tenantId;
    }

    private static void session(String session) {
        if (session == null || !SESSION.matcher(session).matches()) {
            throw BadRequest.of("session_id", "must be the widget's session id (letters, digits, '.', '_', ':', '-'; at most 128)");
        }
    }
}
