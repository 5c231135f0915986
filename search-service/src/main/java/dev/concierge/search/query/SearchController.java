package dev.concierge.search.query;

import dev.concierge.search.config.SearchProperties;
import dev.concierge.kit.web.BadRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/search?domain=&q=&limit=}. The gateway has authenticated the caller and resolved the
 * domain to the tenant in {@code X-Tenant-Id}; only that tenant's pages are searched.
 */
@RestController
class SearchController {

    static final int MAX_QUERY_LENGTH = 1_000;

    private final HybridSearch search;
    private final SearchProperties props;

    SearchController(HybridSearch search, SearchProperties props) {
        this.search = search;
        this.props = props;
    }

    @GetMapping("/api/search")
    Mono<SearchResponse> search(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                @RequestParam(name = "q", required = false) String q,
                                @RequestParam(name = "limit", required = false) String limit,
                                @RequestParam(name = "min_score", required = false) String minScore,
                                @RequestParam(name = "collapse", required = false, defaultValue = "true") boolean byPage,
                                @RequestParam(name = "mode", required = false) String mode) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        if (q == null || q.isBlank()) {
            throw BadRequest.of("q", "must not be empty");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw BadRequest.of("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        int n = BadRequest.intParam("limit", limit, 5, 1, props.maxLimit());
        double floor = BadRequest.doubleParam("min_score", minScore, 0.0, -1.0, 1.0);
        return search.search(tenantId, q.strip(), n, floor, byPage, mode(mode)).map(SearchResponse::new);
    }

    /** {@code GET /api/search/stats?domain=}: pages, chunks, model and last indexed time of the tenant's index. */
    @GetMapping("/api/search/stats")
    Mono<IndexStats> stats(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                           @RequestHeader(name = "X-Tenant-Domain", required = false) String domain) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        return search.stats(tenantId, domain);
    }

    private static HybridSearch.Mode mode(String raw) {
        if (raw == null || raw.isBlank()) {
            return HybridSearch.Mode.HYBRID;
        }
        try {
            return HybridSearch.Mode.valueOf(raw.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadRequest.of("mode", "must be hybrid, vector or full_text");
        }
    }

    record SearchResponse(List<SearchHit> results) {
    }
}
