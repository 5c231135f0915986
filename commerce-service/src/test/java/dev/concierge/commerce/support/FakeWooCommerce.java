package dev.concierge.commerce.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.concierge.commerce.woocommerce.OAuth1Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A WooCommerce store at the HTTP boundary, speaking the REST API v3 wire format of
 * ../shared/reference/woocommerce-rest-v3: {@code /wp-json/wc/v3/products} (paged, {@code X-WP-Total},
 * {@code X-WP-TotalPages}, {@code modified_after}), variations, {@code data/currencies/current}, orders, webhooks;
 * WooCommerce's error bodies ({@code code, message, data.status}). It checks every request's credentials the way
 * WooCommerce does: OAuth 1.0a query parameters (signature recomputed from the request as received) over http,
 * or HTTP Basic. Failures can be scripted per path.
 */
public final class FakeWooCommerce implements AutoCloseable {

    public static final String PREFIX = "/wp-json/wc/v3";

    public record Request(String method, String path, Map<String, String> query, String body, String authorization) {
    }

    private record Scripted(String method, String path, int status, Map<String, String> headers, String body,
                            AtomicInteger remaining) {
    }

    public enum Mode { WOOCOMMERCE, NOT_WOOCOMMERCE, REDIRECT_TO_HTTPS, HTML_HOMEPAGE, SLOW }

    /** How long a request waits in {@link Mode#SLOW}. */
    public volatile java.time.Duration slowBy = java.time.Duration.ofSeconds(5);
    /** How long {@code GET /orders/{id}} takes to answer (a store looking the order up). */
    public volatile java.time.Duration orderDelay = java.time.Duration.ZERO;

    public final String consumerKey = "ck_0123456789abcdef0123456789abcdef01234567";
    public final String consumerSecret = "cs_fedcba9876543210fedcba9876543210fedcba98";
    public final JsonMapper json = JsonMapper.builder().build();
    public final Map<Long, ObjectNode> products = new ConcurrentSkipListMap<>();
    public final Map<Long, List<ObjectNode>> variations = new ConcurrentHashMap<>();
    public final Map<Long, ObjectNode> orders = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** The bodies of {@code POST /webhooks} as sent (secret included). */
    public final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    /** The store's webhooks by id as {@code GET /webhooks} lists them (no secret: it is write-only). */
    public final Map<Long, ObjectNode> storedWebhooks = new ConcurrentSkipListMap<>();
    /** Each stored webhook's secret, by id. */
    public final Map<Long, String> webhookSecrets = new ConcurrentHashMap<>();
    public volatile String currency = "EUR";
    public volatile Mode mode = Mode.WOOCOMMERCE;
    private final ConcurrentLinkedDeque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final AtomicLong webhookIds = new AtomicLong(100);
    private final HttpServer server;

    public FakeWooCommerce() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public void reset() {
        products.clear();
        variations.clear();
        orders.clear();
        requests.clear();
        webhooks.clear();
        storedWebhooks.clear();
        webhookSecrets.clear();
        orderDelay = java.time.Duration.ZERO;
        script.clear();
        currency = "EUR";
        mode = Mode.WOOCOMMERCE;
    }

    /** The next {@code times} requests to {@code method path} (exact path below /wp-json/wc/v3) answer this. */
    public void failNext(String method, String path, int times, int status, Map<String, String> headers) {
        script.add(new Scripted(method, path, status, headers,
                "{\"code\":\"internal_server_error\",\"message\":\"scripted\",\"data\":{\"status\":" + status + "}}",
                new AtomicInteger(times)));
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    // ---- wire-format builders -------------------------------------------------------------------------------

    /** A simple product as {@code GET /products} lists it (fields and formats from products.md). */
    public ObjectNode product(long id, String name, String sku, String price, Integer stock, String stockStatus,
                              String modifiedGmt, String... categories) {
        ObjectNode p = json.createObjectNode();
        p.put("id", id);
        p.put("name", name);
        p.put("slug", name == null ? "" : name.toLowerCase().replace(' ', '-'));
        p.put("permalink", url() + "/product/" + (name == null ? id : name.toLowerCase().replace(' ', '-')) + "/");
        p.put("date_created", "2026-01-10T10:00:00");
        p.put("date_created_gmt", "2026-01-10T10:00:00");
        p.put("date_modified", modifiedGmt);
        p.put("date_modified_gmt", modifiedGmt);
        p.put("type", "simple");
        p.put("status", "publish");
        p.put("featured", false);
        p.put("catalog_visibility", "visible");
        p.put("description", "<p>Long description of " + name + ".</p>\n");
        p.put("short_description", "<p>The <strong>" + name + "</strong> &amp; friends.</p>\n");
        p.put("sku", sku);
        p.put("price", price);
        p.put("regular_price", price);
        p.put("sale_price", "");
        p.put("on_sale", false);
        p.put("purchasable", true);
        p.put("manage_stock", stock != null);
        if (stock == null) {
            p.putNull("stock_quantity");
        } else {
            p.put("stock_quantity", stock);
        }
        p.put("stock_status", stockStatus);
        p.put("backorders", "no");
        ArrayNode cats = p.putArray("categories");
        int catId = 9;
        for (String c : categories) {
            ObjectNode cat = cats.addObject();
            cat.put("id", catId++);
            cat.put("name", c);
            cat.put("slug", c.toLowerCase());
        }
        p.putArray("tags");
        p.putArray("images");
        p.putArray("attributes");
        p.putArray("variations");
        p.putArray("meta_data");
        return p;
    }

    public ObjectNode variation(long id, String sku, String attribute, String option, String price, Integer stock,
                                String stockStatus) {
        ObjectNode v = json.createObjectNode();
        v.put("id", id);
        v.put("date_modified_gmt", "2026-01-10T10:00:00");
        v.put("sku", sku);
        v.put("price", price);
        v.put("regular_price", price);
        v.put("sale_price", "");
        v.put("status", "publish");
        v.put("manage_stock", stock != null);
        if (stock == null) {
            v.putNull("stock_quantity");
        } else {
            v.put("stock_quantity", stock);
        }
        v.put("stock_status", stockStatus);
        ObjectNode a = v.putArray("attributes").addObject();
        a.put("id", 6);
        a.put("name", attribute);
        a.put("option", option);
        return v;
    }

    /** A webhook of the store as {@code GET /webhooks} lists it (webhooks.md); stored as the store's own. */
    public ObjectNode webhook(long id, String name, String topic, String deliveryUrl, String status) {
        ObjectNode w = json.createObjectNode();
        w.put("id", id);
        w.put("name", name);
        w.put("status", status);
        w.put("topic", topic);
        w.put("resource", topic.substring(0, Math.max(0, topic.indexOf('.'))));
        w.put("event", topic.substring(topic.indexOf('.') + 1));
        w.putArray("hooks");
        w.put("delivery_url", deliveryUrl);
        w.put("date_created_gmt", "2026-11-01T10:00:00");
        w.put("date_modified_gmt", "2026-11-01T10:00:00");
        storedWebhooks.put(id, w);
        webhookIds.accumulateAndGet(id, Math::max);
        return w;
    }

    public void put(ObjectNode product) {
        products.put(product.get("id").asLong(), product);
    }

    public void putVariable(ObjectNode product, List<ObjectNode> vs) {
        product.put("type", "variable");
        ArrayNode ids = product.putArray("variations");
        vs.forEach(v -> ids.add(v.get("id").asLong()));
        put(product);
        variations.put(product.get("id").asLong(), new ArrayList<>(vs));
    }

    /** An order as {@code GET /orders/{id}} answers it (orders.md), with Shipment Tracking meta when tracking != null. */
    public ObjectNode order(long id, String email, String status, String trackingNumber) {
        ObjectNode o = json.createObjectNode();
        o.put("id", id);
        o.put("parent_id", 0);
        o.put("number", Long.toString(id));
        o.put("order_key", "wc_order_58d2d042d1d");
        o.put("status", status);
        o.put("currency", "EUR");
        o.put("date_created", "2026-11-20T16:28:02");
        o.put("date_created_gmt", "2026-11-20T19:28:02");
        o.put("total", "29.35");
        ObjectNode billing = o.putObject("billing");
        billing.put("first_name", "Ann");
        billing.put("last_name", "Example");
        billing.put("email", email);
        billing.put("phone", "(555) 555-5555");
        ArrayNode items = o.putArray("line_items");
        ObjectNode li = items.addObject();
        li.put("id", 315);
        li.put("name", "Trail Pump");
        li.put("product_id", 93);
        li.put("quantity", 2);
        li.put("total", "20.00");
        ArrayNode meta = o.putArray("meta_data");
        if (trackingNumber != null) {
            ObjectNode m = meta.addObject();
            m.put("id", 1001);
            m.put("key", "_wc_shipment_tracking_items");
            ObjectNode t = m.putArray("value").addObject();
            t.put("tracking_provider", "dhl");
            t.put("custom_tracking_provider", "");
            t.put("custom_tracking_link", "");
            t.put("tracking_number", trackingNumber);
            t.put("date_shipped", "1700000000");
            t.put("tracking_id", "abc123");
        }
        orders.put(id, o);
        return o;
    }

    // ---- the server ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String fullPath = ex.getRequestURI().getRawPath();
            String rawQuery = ex.getRequestURI().getRawQuery();
            List<Map.Entry<String, String>> params = parse(rawQuery);
            Map<String, String> query = new LinkedHashMap<>();
            params.forEach(e -> query.put(e.getKey(), e.getValue()));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String path = fullPath.startsWith(PREFIX) ? fullPath.substring(PREFIX.length()) : fullPath;
            requests.add(new Request(method, path, query, body, ex.getRequestHeaders().getFirst("Authorization")));

            if (mode == Mode.SLOW) {
                try {
                    Thread.sleep(slowBy.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (mode == Mode.REDIRECT_TO_HTTPS) {
                ex.getResponseHeaders().add("Location", "https://127.0.0.1" + fullPath);
                send(ex, 301, "");
                return;
            }
            if (mode == Mode.HTML_HOMEPAGE) {
                ex.getResponseHeaders().add("Content-Type", "text/html");
                send(ex, 200, "<html><body>Just a blog</body></html>");
                return;
            }
            if (mode == Mode.NOT_WOOCOMMERCE || !fullPath.startsWith(PREFIX)) {
                error(ex, 404, "rest_no_route", "No route was found matching the URL and request method");
                return;
            }
            for (Scripted s : script) {
                if (s.method().equals(method) && s.path().equals(path) && s.remaining().getAndDecrement() > 0) {
                    s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    send(ex, s.status(), s.body());
                    return;
                }
            }
            if (!authenticated(ex, method, fullPath, params)) {
                error(ex, 401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.");
                return;
            }
            route(ex, method, path, query, body);
        } catch (RuntimeException e) {
            e.printStackTrace();
            send(ex, 500, "{\"code\":\"fake_failed\"}");
        }
    }

    private boolean authenticated(HttpExchange ex, String method, String fullPath, List<Map.Entry<String, String>> params) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            return decoded.equals(consumerKey + ":" + consumerSecret);
        }
        Map<String, String> q = new LinkedHashMap<>();
        params.forEach(e -> q.put(e.getKey(), e.getValue()));
        String signature = q.get("oauth_signature");
        if (signature == null || !consumerKey.equals(q.get("oauth_consumer_key"))
                || !"HMAC-SHA256".equals(q.get("oauth_signature_method")) || q.get("oauth_nonce") == null
                || q.get("oauth_timestamp") == null
                || Math.abs(Long.parseLong(q.get("oauth_timestamp")) - System.currentTimeMillis() / 1000) > 900) {
            return false;
        }
        List<Map.Entry<String, String>> signed = params.stream().filter(e -> !e.getKey().equals("oauth_signature")).toList();
        String expected = OAuth1Signer.signature(OAuth1Signer.baseString(method, url() + fullPath, signed), consumerSecret);
        return expected.equals(signature);
    }

    private void route(HttpExchange ex, String method, String path, Map<String, String> query, String body) throws IOException {
        String[] parts = path.split("/");
        if (method.equals("GET") && path.equals("/products")) {
            String after = query.get("modified_after");
            List<JsonNode> items = products.values().stream()
                    .filter(p -> after == null || p.path("date_modified_gmt").asString().compareTo(after) > 0)
                    .map(p -> (JsonNode) p).toList();
            page(ex, items, query);
        } else if (method.equals("GET") && parts.length == 3 && parts[1].equals("products")) {
            ObjectNode p = products.get(Long.parseLong(parts[2]));
            if (p == null) {
                error(ex, 404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
            } else {
                ok(ex, p);
            }
        } else if (method.equals("GET") && parts.length == 4 && parts[3].equals("variations")) {
            page(ex, new ArrayList<>(variations.getOrDefault(Long.parseLong(parts[2]), List.of())), query);
        } else if (method.equals("GET") && path.equals("/data/currencies/current")) {
            ObjectNode c = json.createObjectNode();
            c.put("code", currency);
            c.put("name", "Euro");
            c.put("symbol", "&euro;");
            ok(ex, c);
        } else if (method.equals("GET") && parts.length == 3 && parts[1].equals("orders")) {
            if (!orderDelay.isZero()) {
                try {
                    Thread.sleep(orderDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ObjectNode o = parts[2].matches("\\d+") ? orders.get(Long.parseLong(parts[2])) : null;
            if (o == null) {
                error(ex, 404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
            } else {
                ok(ex, o);
            }
        } else if (method.equals("POST") && path.equals("/webhooks")) {
            ObjectNode w = (ObjectNode) json.readTree(body);
            webhooks.add(w.deepCopy());
            ObjectNode stored = webhook(webhookIds.incrementAndGet(), w.path("name").asString(""), w.path("topic").asString(),
                    w.path("delivery_url").asString(), w.path("status").asString("active"));
            if (w.hasNonNull("secret")) {
                webhookSecrets.put(stored.get("id").asLong(), w.get("secret").asString());
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            send(ex, 201, json.writeValueAsString(stored));
        } else if (method.equals("GET") && path.equals("/webhooks")) {
            page(ex, new ArrayList<>(storedWebhooks.values()), query);
        } else if ((method.equals("PUT") || method.equals("DELETE")) && parts.length == 3 && parts[1].equals("webhooks")) {
            long id = Long.parseLong(parts[2]);
            ObjectNode w = storedWebhooks.get(id);
            if (w == null) {
                error(ex, 404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
            } else if (method.equals("DELETE")) {
                if (!"true".equals(query.get("force"))) {
                    error(ex, 501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.");
                } else {
                    storedWebhooks.remove(id);
                    webhookSecrets.remove(id);
                    ok(ex, w);
                }
            } else {
                JsonNode changes = json.readTree(body);
                for (String field : List.of("name", "topic", "delivery_url", "status")) {
                    if (changes.hasNonNull(field)) {
                        w.put(field, changes.get(field).asString());
                    }
                }
                if (changes.hasNonNull("secret") && !changes.get("secret").asString().isEmpty()) {
                    webhookSecrets.put(id, changes.get("secret").asString());
                }
                w.put("date_modified_gmt", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
                ok(ex, w);
            }
        } else {
            error(ex, 404, "rest_no_route", "No route was found matching the URL and request method");
        }
    }

    private void page(HttpExchange ex, List<JsonNode> items, Map<String, String> query) throws IOException {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "10"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int total = items.size();
        int pages = (total + perPage - 1) / perPage;
        ArrayNode out = json.createArrayNode();
        items.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(out::add);
        ex.getResponseHeaders().add("X-WP-Total", Integer.toString(total));
        ex.getResponseHeaders().add("X-WP-TotalPages", Integer.toString(pages));
        ok(ex, out);
    }

    private void ok(HttpExchange ex, JsonNode body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        send(ex, 200, json.writeValueAsString(body));
    }

    private void error(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        send(ex, status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"data\":{\"status\":" + status + "}}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static List<Map.Entry<String, String>> parse(String rawQuery) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)));
        }
        return out;
    }

    public static Collection<String> paths(List<Request> rs) {
        return rs.stream().map(Request::path).toList();
    }
}
