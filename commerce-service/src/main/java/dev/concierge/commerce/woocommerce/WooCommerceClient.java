package dev.concierge.commerce.woocommerce;

import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.woocommerce.WooCommerceException.Kind;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WooCommerce REST API v3 ({@code /wp-json/wc/v3}) of one tenant's store.
 * <ul>
 *   <li>Authentication (authentication.md): HTTP Basic with the consumer key and secret over https; OAuth 1.0a
 *       one-legged, HMAC-SHA256, parameters in the query string, over plain http (keys never travel in clear).</li>
 *   <li>GETs are retried with exponential backoff after 429 (honouring {@code Retry-After}), 5xx, timeouts and
 *       refused connections; 401/403/404 are final. Writes are never retried.</li>
 *   <li>One circuit breaker per store: a store failing most recent calls is left alone for 30 s
 *       ({@link Kind#CIRCUIT_OPEN}); auth and not-found answers do not count as failures.</li>
 *   <li>Redirects are not followed: an http store URL answered by a redirect to https is reported as
 *       {@link Kind#HTTPS_REQUIRED}.</li>
 * </ul>
 * Nothing here logs keys, signatures or response bodies.
 */
@Component
public class WooCommerceClient {

    public static final String API = "/wp-json/wc/v3";
    public static final int PER_PAGE = 100;
    private static final char[] NONCE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final WebClient web;
    private final JsonMapper json;
    private final CommerceProperties props;
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @org.springframework.beans.factory.annotation.Autowired
    public WooCommerceClient(WebClient.Builder builder, JsonMapper json, CommerceProperties props) {
        this(builder, json, props, Clock.systemUTC());
    }

    WooCommerceClient(WebClient.Builder builder, JsonMapper json, CommerceProperties props, Clock clock) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.connectTimeout().toMillis())
                .responseTimeout(props.requestTimeout())
                .followRedirect(false);
        if (!props.allowPrivateHosts()) {
            // the address actually connected to, on every new connection: a store name that now resolves inside our
            // network is hung up on before any request (with its signed credentials) is written
            http = http.doOnConnected(connection -> {
                if (connection.channel().remoteAddress() instanceof java.net.InetSocketAddress remote
                        && remote.getAddress() != null && StoreAddresses.forbidden(remote.getAddress())) {
                    LoggerFactory.getLogger(WooCommerceClient.class).warn(
                            "refused a connection to a store that resolved to a private or local address ({})",
                            remote.getAddress().getHostAddress());
                    connection.channel().close(); // the request fails as unreachable
                }
            });
        }
        this.web = builder.clone().clientConnector(new ReactorClientHttpConnector(http))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
        this.json = json;
        this.props = props;
        this.clock = clock;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(e -> e instanceof WooCommerceException w && w.kind().transientFailure)
                .build());
    }

    /** A response: its JSON body and the collection totals WooCommerce sends ({@code X-WP-Total(Pages)}; -1 absent). */
    public record Response(JsonNode body, int total, int totalPages) {
    }

    /** The circuit breaker of this store (tests and health). */
    public CircuitBreaker.State breakerState(StoreCredentials store) {
        return breaker(store).getState();
    }

    /** A GET with retries and the store's circuit breaker. {@code path} is below {@code /wp-json/wc/v3}. */
    public Mono<Response> get(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return withRetry(guarded(store, exchange(store, HttpMethod.GET, path, query, null)));
    }

    public Mono<JsonNode> getJson(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return get(store, path, query).map(Response::body);
    }

    /** Every item of a collection, {@value #PER_PAGE} per page, following {@code X-WP-TotalPages}. */
    public Flux<JsonNode> getAll(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return getPages(store, path, query).concatMapIterable(page -> page);
    }

    /** Like {@link #getAll}, a page (of up to {@value #PER_PAGE} items) at a time. */
    public Flux<List<JsonNode>> getPages(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return page(store, path, query, 1)
                .expand(r -> r.page < r.lastPage ? page(store, path, query, r.page + 1) : Mono.empty())
                .map(r -> {
                    List<JsonNode> items = new ArrayList<>();
                    r.response.body().forEach(items::add);
                    return items;
                });
    }

    private record Paged(int page, int lastPage, Response response) {
    }

    private Mono<Paged> page(StoreCredentials store, String path, List<Map.Entry<String, String>> query, int page) {
        List<Map.Entry<String, String>> q = new ArrayList<>(query);
        q.add(Map.entry("per_page", Integer.toString(PER_PAGE)));
        q.add(Map.entry("page", Integer.toString(page)));
        return get(store, path, q).flatMap(r -> {
            if (!r.body().isArray()) {
                return Mono.error(new WooCommerceException(Kind.UNEXPECTED_RESPONSE, 200, path + " did not answer a JSON array"));
            }
            // Without X-WP-TotalPages, a full page means there may be another one.
            int last = r.totalPages() >= 0 ? r.totalPages() : (r.body().size() >= PER_PAGE ? page + 1 : page);
            return Mono.just(new Paged(page, last, r));
        });
    }

    /** A write (never retried), through the store's circuit breaker. */
    public Mono<JsonNode> post(StoreCredentials store, String path, Object body) {
        return guarded(store, exchange(store, HttpMethod.POST, path, List.of(), body)).map(Response::body);
    }

    /** An update ({@code PUT}, never retried), through the store's circuit breaker. */
    public Mono<JsonNode> put(StoreCredentials store, String path, Object body) {
        return guarded(store, exchange(store, HttpMethod.PUT, path, List.of(), body)).map(Response::body);
    }

    /** A {@code DELETE} (never retried), through the store's circuit breaker; e.g. {@code force=true} in {@code query}. */
    public Mono<JsonNode> delete(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return guarded(store, exchange(store, HttpMethod.DELETE, path, query, null)).map(Response::body);
    }

    /**
     * One unguarded GET with no retries, for testing a connection before it is saved: the store owner should
     * hear at once what is wrong, and a store being set up must not trip the breaker of the saved one.
     */
    public Mono<Response> probe(StoreCredentials store, String path, List<Map.Entry<String, String>> query) {
        return exchange(store, HttpMethod.GET, path, query, null);
    }

    private <T> Mono<T> guarded(StoreCredentials store, Mono<T> call) {
        return call.transformDeferred(CircuitBreakerOperator.of(breaker(store)))
                .onErrorMap(CallNotPermittedException.class, e -> new WooCommerceException(Kind.CIRCUIT_OPEN, 0,
                        "the store failed repeatedly; calls are paused for a while"));
    }

    private <T> Mono<T> withRetry(Mono<T> call) {
        return call.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            if (!(failure instanceof WooCommerceException w) || !w.kind().transientFailure
                    || signal.totalRetries() >= props.maxRetries()) {
                return Mono.error(failure);
            }
            Duration delay = props.retryBackoff().multipliedBy(1L << Math.min(signal.totalRetries(), 10));
            if (w.retryAfter() != null) {
                delay = w.retryAfter().compareTo(props.maxRetryAfter()) > 0 ? props.maxRetryAfter() : w.retryAfter();
            }
            return Mono.delay(delay);
        })));
    }

    private CircuitBreaker breaker(StoreCredentials store) {
        return breakers.circuitBreaker(store.tenantId() + "|" + store.storeUrl());
    }

    private Mono<Response> exchange(StoreCredentials store, HttpMethod method, String path,
                                    List<Map.Entry<String, String>> query, Object body) {
        return Mono.defer(() -> {
            String base = store.storeUrl() + API + path;
            List<Map.Entry<String, String>> params = store.https() ? query
                    : OAuth1Signer.sign(method.name(), base, query, store.consumerKey(), store.consumerSecret(),
                    clock.instant().getEpochSecond(), nonce());
            URI uri = URI.create(params.isEmpty() ? base : base + "?" + params.stream()
                    .map(e -> OAuth1Signer.encode(e.getKey()) + "=" + OAuth1Signer.encode(e.getValue()))
                    .collect(Collectors.joining("&")));
            WebClient.RequestBodySpec request = web.method(method).uri(uri).accept(MediaType.APPLICATION_JSON);
            if (store.https()) {
                request.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                        (store.consumerKey() + ":" + store.consumerSecret()).getBytes(StandardCharsets.UTF_8)));
            }
            if (body != null) {
                request.contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsString(body));
            }
            return request.exchangeToMono(r -> handle(store, path, r));
        }).timeout(props.requestTimeout().plusSeconds(1))
          .onErrorMap(e -> !(e instanceof WooCommerceException), WooCommerceClient::transportFailure);
    }

    private Mono<Response> handle(StoreCredentials store, String path, ClientResponse r) {
        int status = r.statusCode().value();
        return r.bodyToMono(String.class).defaultIfEmpty("").flatMap(text -> {
            if (status >= 200 && status < 300) {
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (RuntimeException e) {
                    return Mono.error(new WooCommerceException(Kind.UNEXPECTED_RESPONSE, status,
                            "the store answered " + path + " with something that is not JSON"));
                }
                return Mono.just(new Response(node, header(r, "X-WP-Total"), header(r, "X-WP-TotalPages")));
            }
            String code = errorCode(text);
            if (status >= 300 && status < 400) {
                String location = r.headers().asHttpHeaders().getFirst(HttpHeaders.LOCATION);
                if (!store.https() && location != null && location.regionMatches(true, 0, "https://", 0, 8)) {
                    return Mono.error(new WooCommerceException(Kind.HTTPS_REQUIRED, status,
                            "the store redirects http to https: use its https:// URL"));
                }
                return Mono.error(new WooCommerceException(Kind.UNEXPECTED_RESPONSE, status,
                        "the store redirects the REST API elsewhere (" + status + "); use the store's canonical URL"));
            }
            if (status == 401 || status == 403) {
                return Mono.error(new WooCommerceException(Kind.UNAUTHORIZED, status,
                        "the store refused the API keys (" + status + code + "): check the consumer key and secret "
                                + "and that the key has read access"));
            }
            if (status == 404) {
                return Mono.error(new WooCommerceException(Kind.NOT_FOUND, status, "not found: " + path + code));
            }
            if (status == 429) {
                return Mono.error(new WooCommerceException(Kind.RATE_LIMITED, status, "the store is rate limiting us",
                        retryAfter(r.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER)), null));
            }
            if (status >= 500) {
                return Mono.error(new WooCommerceException(Kind.SERVER_ERROR, status, "the store failed (" + status + code + ")"));
            }
            return Mono.error(new WooCommerceException(Kind.UNEXPECTED_RESPONSE, status,
                    "the store answered " + status + code));
        });
    }

    private String errorCode(String text) {
        try {
            JsonNode node = json.readTree(text);
            String code = node.path("code").asString("");
            return code.isEmpty() ? "" : ", " + code;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static int header(ClientResponse r, String name) {
        String v = r.headers().asHttpHeaders().getFirst(name);
        try {
            return v == null ? -1 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /**
     * A failure before any response, by cause. The cause is not kept: transport exceptions quote the request URI,
     * which over http carries the OAuth parameters, and nothing must put those in a log.
     */
    static WooCommerceException transportFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new WooCommerceException(Kind.TLS_ERROR, 0,
                        "TLS handshake with the store failed (certificate not trusted, expired, or not an https port)");
            }
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException
                    || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException) {
                return new WooCommerceException(Kind.TIMEOUT, 0, "the store did not answer in time");
            }
            if (t instanceof UnknownHostException) {
                return new WooCommerceException(Kind.UNREACHABLE, 0, "the store's host name does not resolve");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new WooCommerceException(Kind.UNREACHABLE, 0, "the store refused or dropped the connection");
            }
        }
        return new WooCommerceException(Kind.UNREACHABLE, 0,
                "the store could not be reached (" + e.getClass().getSimpleName() + ")");
    }

    private String nonce() {
        char[] c = new char[32];
        for (int i = 0; i < c.length; i++) {
            c[i] = NONCE_CHARS[random.nextInt(NONCE_CHARS.length)];
        }
        return new String(c);
    }
}
