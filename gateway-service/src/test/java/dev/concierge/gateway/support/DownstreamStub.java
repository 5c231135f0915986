package dev.concierge.gateway.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for one service behind the gateway. It answers
 * <ul>
 * <li>{@code /actuator/health/readiness}: 200 {@code {"status":"UP"}} (503 OUT_OF_SERVICE when not ready);</li>
 * <li>paths ending in {@code /slow}: after 5 s;</li>
 * <li>paths ending in {@code /problem}: 422 with its own {@code application/problem+json};</li>
 * <li>paths ending in {@code /cors-star}: 200 with CORS headers of its own ({@code Access-Control-Allow-Origin: *}),
 * which the gateway must not pass on;</li>
 * <li>paths ending in {@code /cacheable}: 200 with caching and framing headers of its own
 * ({@code Cache-Control: public}, {@code X-Frame-Options: SAMEORIGIN}), which the gateway must replace;</li>
 * <li>paths ending in {@code /unavailable}: 503 with a problem body;</li>
 * <li>paths ending in {@code /flaky}: the connection is closed without a response while {@link #failNext} is
 * positive, then as anything else;</li>
 * <li>paths ending in {@code /events}: {@code text/event-stream}, event {@code first}, then, once
 * {@link #releaseLastEvent} was called (or after 10 s), event {@code last} (whose data says whether it was
 * released);</li>
 * <li>a JSON body that is not an object: 400 problem+json, as the services answer;</li>
 * <li>anything else: 200 with what it received, as JSON: service, method, uri, headers (lower-case name to
 * values) and body_base64.</li>
 * </ul>
 * It can be stopped and started again on the same port, to play an unreachable service. It closes every
 * connection after one response, so once stopped nothing reaches it.
 */
public final class DownstreamStub {

    public static final String PROBLEM_BODY =
            "{\"type\":\"https://example.test/out-of-stock\",\"title\":\"Out of stock\",\"status\":422}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    private volatile reactor.core.publisher.Sinks.Empty<Void> lastEvent = reactor.core.publisher.Sinks.empty();
    private DisposableServer server;
    private int port;

    private DownstreamStub(String name) {
        this.name = name;
    }

    public static DownstreamStub start(String name) {
        DownstreamStub stub = new DownstreamStub(name);
        stub.bind(0);
        return stub;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void stop() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
            server = null;
        }
    }

    /** Starts again on the same port after {@link #stop()}; a no-op while running. */
    public synchronized void restart() {
        if (server == null) {
            bind(port);
        }
    }

    public void setReady(boolean ready) {
        this.ready.set(ready);
    }

    /** Requests received, health checks excluded. */
    public int requests() {
        return requests.get();
    }

    /** Forgets counters and pending failures (before each test). */
    public void reset() {
        requests.set(0);
        failNext.set(0);
        lastEvent = reactor.core.publisher.Sinks.empty();
    }

    /** The next {@code count} requests to a {@code /flaky} path get their connection closed without a response. */
    public void failNext(int count) {
        failNext.set(count);
    }

    /** Lets a {@code /events} stream send its last event. */
    public void releaseLastEvent() {
        lastEvent.tryEmitEmpty();
    }

    private synchronized void bind(int requestedPort) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(requestedPort)
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
        port = server.port();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        // No keep-alive: a stopped stub must be unreachable at once, not still serve a pooled connection.
        response.keepAlive(false);
        String path = request.fullPath();
        if (path.equals("/actuator/health/readiness")) {
            boolean up = ready.get();
            return response.status(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
                    .header("Content-Type", "application/vnd.spring-boot.actuator.v3+json")
                    .sendString(Mono.just(up ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}"))
                    .then();
        }
        requests.incrementAndGet();
        if (path.endsWith("/flaky") && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return request.receive().then(Mono.fromRunnable(() -> ((reactor.netty.Connection) response).dispose()));
        }
        if (path.endsWith("/events")) {
            Mono<Boolean> released = lastEvent.asMono().thenReturn(true)
                    .timeout(Duration.ofSeconds(10), Mono.just(false));
            return response.header("Content-Type", "text/event-stream")
                    .sendString(Mono.just("event: first\ndata: 1\n\n")
                            .concatWith(released.map(ok -> "event: last\ndata: released=" + ok + "\n\n")))
                    .then();
        }
        if (path.endsWith("/unavailable")) {
            return response.status(503)
                    .header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"title\":\"Service Unavailable\",\"status\":503}"))
                    .then();
        }
        if (path.endsWith("/cacheable")) {
            return response.header("Cache-Control", "public, max-age=3600")
                    .header("X-Frame-Options", "SAMEORIGIN")
                    .header("Content-Type", "application/json")
                    .sendString(Mono.just("{}"))
                    .then();
        }
        if (path.endsWith("/slow")) {
            return Mono.delay(Duration.ofSeconds(5)).then(response.sendString(Mono.just("late")).then());
        }
        if (path.endsWith("/cors-star")) {
            return response.header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Content-Type", "application/json")
                    .sendString(Mono.just("{}"))
                    .then();
        }
        if (path.endsWith("/problem")) {
            return response.status(422)
                    .header("Content-Type", "application/problem+json")
                    .sendString(Mono.just(PROBLEM_BODY))
                    .then();
        }
        return request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    if (body.length > 0 && String.valueOf(request.requestHeaders().get("Content-Type")).contains("json")
                            && !isJsonObject(body)) {
                        return response.status(400)
                                .header("Content-Type", "application/problem+json")
                                .sendString(Mono.just("{\"title\":\"Bad Request\",\"status\":400,"
                                        + "\"detail\":\"The body must be a JSON object\"}"))
                                .then();
                    }
                    return response
                            .header("Content-Type", "application/json")
                            .sendByteArray(Mono.just(JSON.writeValueAsBytes(echo(request, body))))
                            .then();
                });
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Map<String, Object> echo(HttpServerRequest request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(header -> headers
                .computeIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT), key -> new ArrayList<>())
                .add(header.getValue()));
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("service", name);
        echo.put("method", request.method().name());
        echo.put("uri", request.uri());
        echo.put("headers", headers);
        echo.put("body_base64", Base64.getEncoder().encodeToString(body));
        return echo;
    }
}
