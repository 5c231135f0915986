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
                .flatMap(body -> response
                        .header("Content-Type", "application/json")
                        .sendByteArray(Mono.just(JSON.writeValueAsBytes(echo(request, body))))
                        .then());
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
