package dev.concierge.commerce.connection;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/commerce/connection}: whether the calling tenant has connected its store. Connecting
 * (WooCommerce keys, catalog sync, order lookup) is the commerce issue's work; this is the routed,
 * database-backed starting point, and it answers truthfully: a tenant without a row is not connected.
 */
@RestController
class ConnectionController {

    private final DatabaseClient db;

    ConnectionController(DatabaseClient db) {
        this.db = db;
    }

    record Connection(boolean connected, String platform, String storeUrl, String status) {
    }

    @GetMapping("/api/commerce/connection")
    Mono<Connection> connection(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "domain: the request names no tenant: call through the gateway with a domain"));
        }
        return db.sql("select platform, store_url, status from store_connections where tenant_id = :t")
                .bind("t", tenantId)
                .map(r -> new Connection(true, r.get("platform", String.class), r.get("store_url", String.class),
                        r.get("status", String.class)))
                .one()
                .defaultIfEmpty(new Connection(false, null, null, "not_connected"));
    }
}
