package dev.concierge.chat.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * commerce-service at its HTTP boundary, speaking the tools contract (docs/architecture.md "Commerce tools"):
 * by default every tool answers 409 store-not-connected, as commerce-service does for a tenant without a
 * store; a test sets a path's answer. Requests are recorded as "METHOD path?query body".
 */
public final class FakeCommerceService implements AutoCloseable {

    private static final String NOT_CONNECTED = "{\"type\":\"https://concierge.dev/problems/store-not-connected\","
            + "\"title\":\"Store not connected\",\"status\":409,\"connected\":false}";

    private final HttpServer server;
    private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeCommerceService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/commerce/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String session = exchange.getRequestHeaders().getFirst("X-Session-Id");
        requests.add(exchange.getRequestMethod() + " " + path
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                + (body.isEmpty() ? "" : " " + body) + (session == null ? "" : " [session " + session + "]"));
        Object[] answer = answers.getOrDefault(path, new Object[] {409, NOT_CONNECTED});
        byte[] bytes = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
        int status = (Integer) answer[0];
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests to {@code path} get this answer. */
    public void answers(String path, int status, String json) {
        answers.put(path, new Object[] {status, json});
    }

    public void reset() {
        answers.clear();
        requests.clear();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
