package dev.concierge.embedding.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's embeddings endpoint as the worker sees it ({@code POST /v1/embeddings}, the real wire format),
 * on a local port: one vector per input, 1536-dimensional like text-embedding-3-small's (or of the
 * requested {@code dimensions}), or a 503 outage for the next {@link #failNext n} requests.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** One request as received. */
    public record Request(String model, List<String> input, String authorization) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OUTAGE = """
            {"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error","param":null,"code":null}}""";

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    public FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Request> requests() {
        return requests;
    }

    /** The next {@code n} requests are answered 503, as OpenAI does when it is overloaded. */
    public void failNext(int n) {
        failures.set(n);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String model = body.path("model").asString();
            List<String> input = new ArrayList<>();
            body.path("input").forEach(n -> input.add(n.asString()));
            requests.add(new Request(model, input, exchange.getRequestHeaders().getFirst("Authorization")));
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 503, OUTAGE);
                return;
            }
            int dimension = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : 1536;
            send(exchange, 200, embeddings(model, input, dimension));
        }
    }

    private static String embeddings(String model, List<String> input, int dimension) {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < input.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
            int h = input.get(i).hashCode();
            for (int j = 0; j < dimension; j++) {
                sb.append(j == 0 ? "" : ",").append(((h ^ (j * 0x9E3779B9)) % 1000) / 1000f);
            }
            sb.append("]}");
        }
        int tokens = input.stream().mapToInt(t -> t.split("\\s+").length).sum();
        return sb.append("],\"model\":\"").append(model).append("\",\"usage\":{\"prompt_tokens\":").append(tokens)
                .append(",\"total_tokens\":").append(tokens).append("}}").toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
