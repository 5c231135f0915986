package dev.concierge.commerce.webhooks;

import dev.concierge.commerce.catalog.CatalogSync;
import dev.concierge.commerce.catalog.LiveStockCache;
import dev.concierge.commerce.catalog.ProductMapper;
import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.connection.CredentialCipher;
import dev.concierge.commerce.connection.StoreConnection;
import dev.concierge.commerce.connection.StoreConnections;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WooCommerce webhooks (webhooks.md).
 * <ul>
 *   <li>{@code POST /api/commerce/webhooks/woocommerce/{tenant}}: the store's deliveries. {@code X-WC-Webhook-Signature}
 *       must be base64 HMAC-SHA256 of the raw body under the connection's webhook secret (constant-time compare;
 *       401 problem otherwise); a {@code X-WC-Webhook-Delivery-ID} already applied is acknowledged and ignored.
 *       {@code product.created|updated|restored} upsert the product, {@code product.deleted} removes it (each
 *       publishing {@code commerce.product-changed.v1} when something changed, and dropping its live stock);
 *       {@code order.*} is acknowledged (orders are always read live, nothing is cached). The ping WooCommerce
 *       sends when a webhook is created ({@code webhook_id=N}, form-encoded) gets 200.</li>
 *   <li>{@code POST /api/commerce/webhooks/register}: makes the tenant's store deliver those topics to
 *       {@code COMMERCE_PUBLIC_URL} + the path above, idempotently: it lists the store's webhooks
 *       ({@code GET /wp-json/wc/v3/webhooks}, every page), updates ours (same delivery URL) in place
 *       ({@code PUT /webhooks/{id}}: active, our secret), creates the missing ones and deletes duplicates. The
 *       secret is generated once and stored encrypted; registering again keeps it, so deliveries already signed
 *       with it still verify. 201 when something was created, 200 when everything was updated in place.</li>
 * </ul>
 */
@RestController
class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
    static final List<String> TOPICS = List.of("product.created", "product.updated", "product.deleted", "product.restored",
            "order.updated");

    private final StoreConnections connections;
    private final CatalogSync sync;
    private final LiveStockCache live;
    private final WooCommerceClient client;
    private final DatabaseClient db;
    private final JsonMapper json;
    private final CommerceProperties props;
    private final SecureRandom random = new SecureRandom();
    static final int MAX_BODY = 4 * 1024 * 1024;

    WebhookController(StoreConnections connections, CatalogSync sync, LiveStockCache live, WooCommerceClient client,
                      DatabaseClient db, JsonMapper json, CommerceProperties props) {
        this.connections = connections;
        this.sync = sync;
        this.live = live;
        this.client = client;
        this.db = db;
        this.json = json;
        this.props = props;
    }

    static class BadSignature extends RuntimeException {
        BadSignature() {
            super("missing or invalid X-WC-Webhook-Signature");
        }
    }

    @PostMapping("/api/commerce/webhooks/woocommerce/{tenant}")
    Mono<Map<String, Object>> receive(@PathVariable("tenant") String tenant,
                                      @RequestHeader(name = "X-WC-Webhook-Signature", required = false) String signature,
                                      @RequestHeader(name = "X-WC-Webhook-Topic", required = false) String topic,
                                      @RequestHeader(name = "X-WC-Webhook-Delivery-ID", required = false) String deliveryId,
                                      org.springframework.http.server.reactive.ServerHttpRequest request) {
        // the raw bytes as signed, whatever the content type (JSON deliveries, the form-encoded ping)
        return org.springframework.core.io.buffer.DataBufferUtils.join(request.getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class,
                        e -> new org.springframework.web.server.ResponseStatusException(
                                org.springframework.http.HttpStatus.CONTENT_TOO_LARGE,
                                "Webhook bodies are limited to " + MAX_BODY + " bytes"))
                .flatMap(raw -> receive(tenant, signature, topic, deliveryId, raw));
    }

    private Mono<Map<String, Object>> receive(String tenant, String signature, String topic, String deliveryId, byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.strip().matches("webhook_id=\\d+")) {
            return Mono.just(Map.of("status", "pong")); // WooCommerce's ping when a webhook is created
        }
        return connections.find(tenant)
                .filter(c -> c.webhookSecretEnc() != null && c.hasCredentials())
                .switchIfEmpty(Mono.error(new BadSignature()))
                .flatMap(conn -> {
                    String secret;
                    try {
                        secret = connections.webhookSecretOf(conn);
                    } catch (CredentialCipher.Unreadable e) {
                        return Mono.error(new BadSignature());
                    }
                    if (signature == null || !MessageDigest.isEqual(hmac(secret, raw).getBytes(StandardCharsets.US_ASCII),
                            signature.strip().getBytes(StandardCharsets.US_ASCII))) {
                        return Mono.error(new BadSignature());
                    }
                    Mono<Boolean> fresh = deliveryId == null || deliveryId.isBlank() ? Mono.just(true)
                            : db.sql("insert into webhook_deliveries (tenant_id, delivery_id) values (:t, :d) on conflict do nothing")
                            .bind("t", tenant).bind("d", deliveryId.strip()).fetch().rowsUpdated().map(n -> n > 0);
                    return fresh.flatMap(isFresh -> {
                        if (!isFresh) {
                            return Mono.just(Map.<String, Object>of("status", "duplicate"));
                        }
                        // not applied after all (failed, or the store hung up first): its retry must not be a duplicate
                        return apply(conn, topic == null ? "" : topic.strip(), raw)
                                .onErrorResume(e -> forget(tenant, deliveryId).then(Mono.error(e)))
                                .doOnCancel(() -> forget(tenant, deliveryId).subscribe());
                    });
                });
    }

    private Mono<Map<String, Object>> apply(StoreConnection conn, String topic, byte[] raw) {
        String tenant = conn.tenantId();
        if (topic.startsWith("order.")) {
            return Mono.just(Map.of("status", "acknowledged"));
        }
        if (!topic.startsWith("product.")) {
            return Mono.just(Map.of("status", "ignored"));
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (RuntimeException e) {
            throw BadRequest.of("body", "is not JSON");
        }
        long id = ProductMapper.id(node);
        if (id <= 0) {
            throw BadRequest.of("body", "names no product id");
        }
        Mono<CatalogSync.Outcome> outcome = topic.equals("product.deleted") ? sync.applyDeletion(tenant, id)
                : sync.applyProduct(tenant, connections.credentials(conn), node, conn.currency());
        return outcome.map(o -> {
            live.invalidate(tenant, id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "applied");
            m.put("product_id", id);
            m.put("change", o.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (!o.reasons().isEmpty()) {
                m.put("reasons", o.reasons());
            }
            return m;
        });
    }

    private Mono<Void> forget(String tenant, String deliveryId) {
        return deliveryId == null ? Mono.empty()
                : db.sql("delete from webhook_deliveries where tenant_id = :t and delivery_id = :d")
                .bind("t", tenant).bind("d", deliveryId.strip()).then();
    }

    @PostMapping("/api/commerce/webhooks/register")
    Mono<ResponseEntity<Map<String, Object>>> register(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        String deliveryUrl = props.publicUrl().replaceAll("/+$", "") + "/api/commerce/webhooks/woocommerce/" + tenantId;
        return connections.find(tenantId).filter(StoreConnection::hasCredentials)
                .switchIfEmpty(Mono.error(new ResponseStatusProblem()))
                .flatMap(conn -> connections.webhookSecretOrNew(tenantId, this::newSecret).flatMap(secret -> {
                    StoreCredentials store = connections.credentials(conn);
                    return client.getAll(store, "/webhooks", List.of()).collectList()
                            .flatMap(existing -> reconcile(store, existing, deliveryUrl, secret));
                }))
                .map(result -> {
                    long created = result.webhooks().stream().filter(w -> "created".equals(w.get("action"))).count();
                    log.info("webhooks of tenant {}: {} created, {} updated in place, {} duplicates removed", tenantId,
                            created, result.webhooks().size() - created, result.removed().size());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("delivery_url", deliveryUrl);
                    body.put("webhooks", result.webhooks());
                    body.put("removed", result.removed());
                    return ResponseEntity.status(created > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(body);
                });
    }

    private record Registered(List<Map<String, Object>> webhooks, List<Long> removed) {
    }

    /**
     * Makes the store's webhooks delivering to {@code deliveryUrl} exactly one per topic of {@link #TOPICS}, active
     * and signing with {@code secret}: for each topic the oldest existing one is updated in place ({@code PUT}), one
     * is created when there is none, and further ones (an earlier double registration) are deleted. Webhooks
     * delivering elsewhere (other apps) are left alone.
     */
    private Mono<Registered> reconcile(StoreCredentials store, List<JsonNode> existing, String deliveryUrl, String secret) {
        Map<String, List<JsonNode>> ours = new LinkedHashMap<>();
        existing.stream().filter(w -> deliveryUrl.equals(w.path("delivery_url").asString("")))
                .sorted(java.util.Comparator.comparingLong(w -> w.path("id").asLong()))
                .forEach(w -> ours.computeIfAbsent(w.path("topic").asString(""), t -> new ArrayList<>()).add(w));
        List<Long> removed = new ArrayList<>();
        return Flux.fromIterable(TOPICS).concatMap(topic -> {
                    Map<String, Object> wanted = Map.of("name", "Concierge " + topic, "topic", topic,
                            "delivery_url", deliveryUrl, "secret", secret, "status", "active");
                    List<JsonNode> same = ours.getOrDefault(topic, List.of());
                    if (same.isEmpty()) {
                        return client.post(store, "/webhooks", wanted).map(r -> entry(r.path("id").asLong(), topic, "created"));
                    }
                    long keep = same.get(0).path("id").asLong();
                    return client.put(store, "/webhooks/" + keep, wanted)
                            .thenMany(Flux.fromIterable(same.subList(1, same.size())).concatMap(duplicate -> {
                                long id = duplicate.path("id").asLong();
                                return client.delete(store, "/webhooks/" + id, List.of(Map.entry("force", "true")))
                                        .doOnSuccess(r -> removed.add(id));
                            }))
                            .then(Mono.fromCallable(() -> entry(keep, topic, "updated")));
                })
                .collectList()
                .map(list -> new Registered(list, List.copyOf(removed)));
    }

    private static Map<String, Object> entry(long id, String topic, String action) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("topic", topic);
        m.put("action", action);
        return m;
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @ExceptionHandler(WooCommerceException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(WooCommerceException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "the store's webhooks could not be registered (" + e.kind().reason + ")");
        problem.setType(URI.create("https://concierge.dev/problems/store-unavailable"));
        problem.setTitle("Store unavailable");
        problem.setProperty("reason", e.kind().reason);
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    static class ResponseStatusProblem extends RuntimeException {
        ResponseStatusProblem() {
            super("no store is connected for this tenant");
        }
    }

    @ExceptionHandler(ResponseStatusProblem.class)
    ProblemDetail notConnected(ResponseStatusProblem e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/store-not-connected"));
        problem.setTitle("Store not connected");
        problem.setProperty("connected", false);
        return problem;
    }

    @ExceptionHandler(BadSignature.class)
    ProblemDetail badSignature(BadSignature e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/bad-webhook-signature"));
        problem.setTitle("Bad webhook signature");
        return problem;
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
