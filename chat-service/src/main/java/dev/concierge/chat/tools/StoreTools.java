package dev.concierge.chat.tools;

import dev.concierge.chat.tools.ToolCall;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.retrieval.SearchClient;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The assistant's tools, typed and validated: {@code search_store_content} (search-service's hybrid
 * search) and the commerce tools served by commerce-service — {@code search_products}, {@code get_product},
 * {@code check_stock}, {@code lookup_order} (see docs/architecture.md, "Commerce tools"). Arguments are
 * checked before any call ({@link ToolArgumentException} names the argument). Every call has a timeout,
 * reads are retried with backoff, and a circuit breaker stops calling a failing commerce-service; whatever
 * happens becomes a {@link ToolResult} with an honest sentence, never an exception, and a {@link ToolCall}
 * record with redacted arguments.
 */
@Component
public class StoreTools {

    public static final String SEARCH_STORE_CONTENT = "search_store_content";
    public static final String SEARCH_PRODUCTS = "search_products";
    public static final String GET_PRODUCT = "get_product";
    public static final String CHECK_STOCK = "check_stock";
    public static final String LOOKUP_ORDER = "lookup_order";

    static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ORDER_NUMBER = Pattern.compile("#?[A-Za-z0-9-]{1,32}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}");
    static final int MAX_QUERY = 200;

    private final WebClient commerce;
    private final SearchClient search;
    private final JsonMapper json;
    private final Duration timeout;
    private final CircuitBreaker breaker = CircuitBreaker.of("commerce-service", CircuitBreakerConfig.custom()
            .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
            // a 4xx answer (not connected, not found, invalid) is the service working
            .ignoreExceptions(WebClientResponseException.BadRequest.class, WebClientResponseException.NotFound.class,
                    WebClientResponseException.Conflict.class, WebClientResponseException.TooManyRequests.class)
            .waitDurationInOpenState(Duration.ofSeconds(10)).build());

    public StoreTools(WebClient.Builder builder, SearchClient search, JsonMapper json,
                      @Value("${concierge.chat.commerce-service-url:${COMMERCE_SERVICE_URL:http://127.0.0.1:8084}}") String commerceUrl,
                      @Value("${concierge.chat.tool-timeout:${CHAT_TOOL_TIMEOUT:3s}}") Duration timeout) {
        this.commerce = builder.baseUrl(commerceUrl).build();
        this.search = search;
        this.json = json;
        this.timeout = timeout;
    }

    /** search_store_content: the store's own pages, best passages first. */
    public Mono<List<Passage>> searchStoreContent(String tenantId, String query, int limit, List<ToolCall> calls) {
        String q = query(query);
        long start = System.nanoTime();
        return search.search(tenantId, q, limit)
                .doOnSuccess(p -> calls.add(record(SEARCH_STORE_CONTENT, Map.of("query", q, "limit", limit), start, ToolCall.OK)))
                .doOnError(e -> calls.add(record(SEARCH_STORE_CONTENT, Map.of("query", q, "limit", limit), start,
                        e instanceof TimeoutException ? ToolCall.TIMEOUT : ToolCall.ERROR)));
    }

    /** search_products: by name, SKU or category, published products only. */
    public Mono<ToolResult> searchProducts(String tenantId, String query, int limit) {
        String q = query(query);
        if (limit < 1 || limit > 20) {
            throw new ToolArgumentException("limit", "must be from 1 to 20");
        }
        return call(SEARCH_PRODUCTS, Map.of("query", q, "limit", limit), commerce.get()
                .uri(b -> b.path("/api/commerce/products").queryParam("q", q).queryParam("limit", limit).build())
                .header("X-Tenant-Id", tenantId), true);
    }

    /** get_product: one product by id or SKU, with its variations. */
    public Mono<ToolResult> getProduct(String tenantId, String ref) {
        String r = ref(ref);
        return call(GET_PRODUCT, Map.of("ref", r), commerce.get().uri("/api/commerce/products/{ref}", r)
                .header("X-Tenant-Id", tenantId), true);
    }

    /** check_stock: live stock status and quantity, per variation where the product has them. */
    public Mono<ToolResult> checkStock(String tenantId, String ref) {
        String r = ref(ref);
        return call(CHECK_STOCK, Map.of("ref", r), commerce.get().uri("/api/commerce/products/{ref}/stock", r)
                .header("X-Tenant-Id", tenantId), true);
    }

    /** lookup_order: both the order number and the e-mail it was placed with, which must match. */
    public Mono<ToolResult> lookupOrder(String tenantId, String orderNumber, String email) {
        return lookupOrder(tenantId, null, orderNumber, email);
    }

    /**
     * Like {@link #lookupOrder(String, String, String)}; {@code sessionId} (the shopper's chat session, when known)
     * lets commerce-service limit failed lookups per session against enumeration, besides per store.
     */
    public Mono<ToolResult> lookupOrder(String tenantId, String sessionId, String orderNumber, String email) {
        String number = orderNumber == null ? "" : orderNumber.strip();
        if (!ORDER_NUMBER.matcher(number).matches()) {
            throw new ToolArgumentException("order_number", "must be the order number, e.g. 1234");
        }
        String mail = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(mail).matches()) {
            throw new ToolArgumentException("email", "must be the e-mail address the order was placed with");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("order_number", number);
        args.put("email", mail);
        // not retried: a lookup counts against the store's enumeration limit
        WebClient.RequestBodySpec request = commerce.post().uri("/api/commerce/orders/lookup").header("X-Tenant-Id", tenantId);
        if (sessionId != null && !sessionId.isBlank()) {
            request = request.header("X-Session-Id", sessionId);
        }
        return call(LOOKUP_ORDER, args, request.contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsString(args)), false);
    }

    private Mono<ToolResult> call(String name, Map<String, Object> args, WebClient.RequestHeadersSpec<?> request, boolean idempotent) {
        long start = System.nanoTime();
        Mono<JsonNode> response = request.retrieve().bodyToMono(String.class).map(json::readTree).timeout(timeout);
        if (idempotent) {
            response = response.retryWhen(Retry.backoff(2, Duration.ofMillis(100)).filter(StoreTools::transient_));
        }
        return response
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .map(data -> new ToolResult(ToolCall.OK, data, null, record(name, args, start, ToolCall.OK)))
                .onErrorResume(e -> Mono.just(failure(name, args, start, e)));
    }

    private ToolResult failure(String name, Map<String, Object> args, long start, Throwable error) {
        Throwable e = reactor.core.Exceptions.isRetryExhausted(error) && error.getCause() != null ? error.getCause() : error;
        String outcome;
        String sentence;
        if (e instanceof WebClientResponseException w && w.getStatusCode().isSameCodeAs(HttpStatusCode.valueOf(409))) {
            outcome = ToolCall.NOT_CONNECTED;
            sentence = name.equals(LOOKUP_ORDER)
                    ? "I can't look up orders for this store here yet."
                    : "I can't check live product data (prices, stock) for this store here yet.";
        } else if (e instanceof WebClientResponseException w && w.getStatusCode().value() == 404) {
            outcome = ToolResult.NOT_FOUND;
            sentence = name.equals(LOOKUP_ORDER)
                    ? "I couldn't find an order with that number and e-mail address."
                    : "I couldn't find that product in the store's catalog.";
        } else if (e instanceof WebClientResponseException w && w.getStatusCode().value() == 429 && name.equals(LOOKUP_ORDER)) {
            outcome = ToolResult.LIMITED;
            sentence = "There have been too many order lookups from this chat in a short time, so I can't look up "
                    + "another one right now. Please try again later.";
        } else if (e instanceof WebClientResponseException w && w.getStatusCode().value() == 400) {
            outcome = ToolResult.INVALID;
            sentence = "That doesn't look like something I can look up; could you check it?";
        } else if (e instanceof TimeoutException) {
            outcome = ToolCall.TIMEOUT;
            sentence = "The store's system didn't answer in time; please try again in a moment.";
        } else {
            outcome = ToolCall.ERROR;
            sentence = e instanceof CallNotPermittedException || e instanceof WebClientRequestException || e instanceof IOException
                    || e instanceof WebClientResponseException w && (w.getStatusCode().is5xxServerError() || w.getStatusCode().value() == 429)
                    ? "The store's system is not reachable right now; please try again in a moment."
                    : "Something went wrong looking that up; please try again in a moment.";
        }
        return new ToolResult(outcome, null, sentence, record(name, args, start, outcome));
    }

    private static ToolCall record(String name, Map<String, ?> args, long start, String outcome) {
        return ToolCall.recorded(name, args, Duration.ofNanos(System.nanoTime() - start), outcome);
    }

    private static boolean transient_(Throwable t) {
        return t instanceof IOException || t instanceof TimeoutException || t instanceof WebClientRequestException
                || t instanceof WebClientResponseException w && (w.getStatusCode().is5xxServerError() || w.getStatusCode().value() == 429);
    }

    private static String query(String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            throw new ToolArgumentException("query", "must not be empty");
        }
        if (q.length() > MAX_QUERY) {
            throw new ToolArgumentException("query", "must be at most " + MAX_QUERY + " characters");
        }
        return q;
    }

    private static String ref(String ref) {
        String r = ref == null ? "" : ref.strip();
        if (!REF.matcher(r).matches()) {
            throw new ToolArgumentException("ref", "must be a product id or SKU");
        }
        return r;
    }
}
