package dev.concierge.commerce.setup;

import dev.concierge.commerce.catalog.CatalogSync;
import dev.concierge.commerce.catalog.LiveStockCache;
import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.connection.CredentialCipher;
import dev.concierge.commerce.connection.StoreConnection;
import dev.concierge.commerce.connection.StoreConnections;
import dev.concierge.commerce.woocommerce.StoreAddresses;
import dev.concierge.commerce.woocommerce.StoreCredentials;
import dev.concierge.commerce.woocommerce.WooCommerceClient;
import dev.concierge.commerce.woocommerce.WooCommerceException;
import dev.concierge.kit.web.BadRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A tenant's store connection (tenant from {@code X-Tenant-Id}, set by the gateway):
 * <ul>
 *   <li>{@code PUT /api/commerce/connection} {@code {"platform":"woocommerce","store_url","consumer_key","consumer_secret"}}:
 *       validated (400 naming the field), tested against the store ({@code GET /wp-json/wc/v3/products?per_page=1})
 *       — a failure is 422 with a {@code reason} — then saved with the keys encrypted, and a first sync started.</li>
 *   <li>{@code GET}: status, store URL, platform, currency, last sync; never the keys.</li>
 *   <li>{@code DELETE}: disconnects and forgets the synced catalog (204; 404 when nothing was connected).</li>
 * </ul>
 */
@RestController
class ConnectionController {

    private static final Logger log = LoggerFactory.getLogger(ConnectionController.class);
    static final Pattern CONSUMER_KEY = Pattern.compile("ck_[A-Za-z0-9]{8,128}");
    static final Pattern CONSUMER_SECRET = Pattern.compile("cs_[A-Za-z0-9]{8,128}");

    private final StoreConnections connections;
    private final WooCommerceClient client;
    private final CatalogSync sync;
    private final LiveStockCache live;
    private final CommerceProperties props;

    ConnectionController(StoreConnections connections, WooCommerceClient client, CatalogSync sync, LiveStockCache live,
                         CommerceProperties props) {
        this.connections = connections;
        this.client = client;
        this.sync = sync;
        this.live = live;
        this.props = props;
    }

    record Connect(String platform, String storeUrl, String consumerKey, String consumerSecret) {
        @Override
        public String toString() {
            return "Connect[platform=" + platform + ", storeUrl=" + storeUrl + ", keys=<redacted>]";
        }
    }

    record Connection(boolean connected, String platform, String storeUrl, String status, Instant connectedAt,
                      String currency, Instant lastSyncAt, Instant lastFullSyncAt, String lastError, String syncId) {
    }

    /** The connection test failed: {@code reason} says why in a word, the detail in a sentence. */
    static class ConnectionFailed extends RuntimeException {
        final String reason;
        final int storeStatus;

        ConnectionFailed(String reason, int storeStatus, String detail) {
            super(detail);
            this.reason = reason;
            this.storeStatus = storeStatus;
        }
    }

    @GetMapping("/api/commerce/connection")
    Mono<Connection> connection(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId) {
        String tenant = tenant(tenantId);
        return connections.find(tenant).map(c -> view(c, sync.runningSync(tenant) == null ? null : sync.runningSync(tenant).toString()))
                .defaultIfEmpty(new Connection(false, null, null, "not_connected", null, null, null, null, null, null));
    }

    @PutMapping("/api/commerce/connection")
    Mono<Connection> connect(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                             @RequestBody(required = false) Connect body) {
        String tenant = tenant(tenantId);
        if (body == null) {
            throw BadRequest.of("platform", "platform, store_url, consumer_key and consumer_secret are required");
        }
        if (body.platform() == null || !body.platform().strip().equalsIgnoreCase("woocommerce")) {
            throw BadRequest.of("platform", "must be woocommerce (the only platform supported)");
        }
        URI url = storeUrl(body.storeUrl());
        if (body.consumerKey() == null || !CONSUMER_KEY.matcher(body.consumerKey().strip()).matches()) {
            throw BadRequest.of("consumer_key", "must be a WooCommerce REST API consumer key (ck_…)");
        }
        if (body.consumerSecret() == null || !CONSUMER_SECRET.matcher(body.consumerSecret().strip()).matches()) {
            throw BadRequest.of("consumer_secret", "must be a WooCommerce REST API consumer secret (cs_…)");
        }
        StoreCredentials store = new StoreCredentials(tenant, url.toString(), body.consumerKey().strip(),
                body.consumerSecret().strip());
        return checkAddress(url)
                .then(client.probe(store, "/products", List.of(Map.entry("per_page", "1"))))
                .onErrorMap(WooCommerceException.class, ConnectionController::failure)
                .flatMap(r -> {
                    if (!r.body().isArray()) {
                        return Mono.error(new ConnectionFailed("not_woocommerce", 200,
                                "the store's /wp-json/wc/v3/products did not answer a product list: is it WooCommerce?"));
                    }
                    return client.probe(store, "/data/currencies/current", List.of())
                            .map(c -> c.body().path("code").asString(""))
                            .onErrorReturn("");
                })
                .flatMap(currency -> connections.save(tenant, "woocommerce", store, currency.isBlank() ? null : currency))
                .then(Mono.defer(() -> {
                    live.invalidateTenant(tenant);
                    log.info("tenant {} connected its WooCommerce store {}", tenant, store.storeUrl());
                    return sync.start(tenant, null).map(java.util.UUID::toString)
                            .onErrorResume(CatalogSync.AlreadyRunning.class, e -> Mono.just(e.syncId.toString()));
                }))
                .flatMap(syncId -> connections.find(tenant).map(c -> view(c, syncId)));
    }

    @DeleteMapping("/api/commerce/connection")
    Mono<ResponseEntity<Void>> disconnect(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId) {
        String tenant = tenant(tenantId);
        return connections.delete(tenant).map(existed -> {
            live.invalidateTenant(tenant);
            return existed ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build();
        });
    }

    @ExceptionHandler(ConnectionFailed.class)
    ProblemDetail failed(ConnectionFailed e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/store-connection-failed"));
        problem.setTitle("Store connection failed");
        problem.setProperty("reason", e.reason);
        if (e.storeStatus > 0) {
            problem.setProperty("store_status", e.storeStatus);
        }
        return problem;
    }

    private Connection view(StoreConnection c, String syncId) {
        String status = c.status();
        if (c.hasCredentials()) {
            try {
                connections.credentials(c);
            } catch (CredentialCipher.Unreadable e) {
                status = "credentials_unreadable";
            }
        }
        return new Connection(true, c.platform(), c.storeUrl(), status, c.connectedAt(), c.currency(), c.lastSyncAt(),
                c.lastFullSyncAt(), c.lastError(), syncId);
    }

    static ConnectionFailed failure(WooCommerceException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> new ConnectionFailed("unauthorized", e.status(),
                    "the store refused the consumer key/secret (" + e.status() + "): check both, and that the key has Read access");
            case NOT_FOUND, UNEXPECTED_RESPONSE -> new ConnectionFailed("not_woocommerce", e.status(),
                    "no WooCommerce REST API at <store_url>/wp-json/wc/v3 (" + (e.status() > 0 ? e.status() : "no answer")
                            + "): is WooCommerce active, the REST API enabled and pretty permalinks on?");
            case HTTPS_REQUIRED -> new ConnectionFailed("https_required", e.status(),
                    "the store redirects http to https: use store_url https://…");
            case TLS_ERROR -> new ConnectionFailed("tls_error", 0,
                    "the TLS handshake failed: the certificate is not trusted or expired, or the store does not serve "
                            + "https on this address (try http:// only if the store really has no certificate)");
            case TIMEOUT -> new ConnectionFailed("timeout", 0, "the store did not answer in time");
            case UNREACHABLE -> new ConnectionFailed("unreachable", 0, "the store could not be reached: " + e.getMessage());
            case RATE_LIMITED, SERVER_ERROR -> new ConnectionFailed("store_error", e.status(),
                    "the store failed to answer (" + e.status() + "); try again later");
            case CIRCUIT_OPEN -> new ConnectionFailed("store_error", 0, e.getMessage());
        };
    }

    private static URI storeUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw BadRequest.of("store_url", "is required, e.g. https://shop.example");
        }
        String s = raw.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw BadRequest.of("store_url", "must start with https:// (or http://)");
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || s.length() > 2048) {
                throw BadRequest.of("store_url", "must be the store's address, e.g. https://shop.example, without "
                        + "user name, query or fragment");
            }
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw BadRequest.of("store_url", "is not a valid URL");
        }
    }

    /** SSRF guard: the store must not resolve to this machine or a private network (unless allowed). */
    private Mono<Void> checkAddress(URI url) {
        if (props.allowPrivateHosts()) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> InetAddress.getAllByName(url.getHost()))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new ConnectionFailed("unreachable", 0,
                        "the store's host name does not resolve"))
                .flatMap(addresses -> {
                    for (InetAddress a : addresses) {
                        if (StoreAddresses.forbidden(a)) {
                            return Mono.error(BadRequest.of("store_url", "resolves to a private or local address"));
                        }
                    }
                    return Mono.empty();
                });
    }

    private static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        return tenantId;
    }
}
