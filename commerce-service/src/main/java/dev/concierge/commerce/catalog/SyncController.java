package dev.concierge.commerce.catalog;

import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/commerce/sync} {@code {"mode":"full"|"incremental"}} (body optional) starts a catalog sync:
 * 202 {@code {"sync_id","mode","status":"running"}}; 409 when one runs (naming it) or no store is connected.
 * {@code GET /api/commerce/sync/{id}} answers its import report.
 */
@RestController
class SyncController {

    private final CatalogSync sync;

    SyncController(CatalogSync sync) {
        this.sync = sync;
    }

    record StartSync(String mode) {
    }

    @PostMapping("/api/commerce/sync")
    Mono<ResponseEntity<Map<String, Object>>> start(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                                    @RequestBody(required = false) StartSync body) {
        String tenant = tenant(tenantId);
        String mode = body == null || body.mode() == null ? null : body.mode().strip().toLowerCase(java.util.Locale.ROOT);
        if (mode != null && !mode.equals(CatalogSync.FULL) && !mode.equals(CatalogSync.INCREMENTAL)) {
            throw BadRequest.of("mode", "must be full or incremental");
        }
        return sync.start(tenant, mode).map(id -> ResponseEntity.status(HttpStatus.ACCEPTED)
                .<Map<String, Object>>body(Map.of("sync_id", id.toString(), "status", "running")));
    }

    @GetMapping("/api/commerce/sync/{id}")
    Mono<CatalogSync.Report> report(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                    @PathVariable("id") String id) {
        String tenant = tenant(tenantId);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw BadRequest.of("id", "must be a sync id (UUID)");
        }
        return sync.report(tenant, uuid)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no such sync")));
    }

    @ExceptionHandler(CatalogSync.AlreadyRunning.class)
    ProblemDetail running(CatalogSync.AlreadyRunning e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/sync-running"));
        problem.setTitle("Sync already running");
        problem.setProperty("sync_id", e.syncId.toString());
        return problem;
    }

    @ExceptionHandler(CatalogSync.NotConnected.class)
    ProblemDetail notConnected(CatalogSync.NotConnected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/store-not-connected"));
        problem.setTitle("Store not connected");
        problem.setProperty("connected", false);
        return problem;
    }

    static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        return tenantId;
    }
}
