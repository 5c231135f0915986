package dev.concierge.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local server speaking OpenAI's embeddings wire format ({@code POST /v1/embeddings}): it records every
 * request and answers each with the next scripted reply, or, when the script is empty, with one vector per
 * input of the requested model's size ({@link #vectorFor}).
 */
final class FakeOpenAiEndpoint implements AutoCloseable {

    /** One request as the server received it. */
    record Request(String model, List<String> input, JsonNode body, String authorization) {
    }

    /** How to answer one request. */
    sealed interface Reply {
    }

    record Status(int status, String body) implements Reply {
    }

    /** Answers correctly, but only when {@link #close()} is called or after 30 s, whichever comes first. */
    record Slow() implements Reply {
    }

    /** Answers with vectors of this many dimensions, whatever the model. */
    record Dimension(int dimension) implements Reply {
    }

    static final Reply RATE_LIMITED = new Status(429, """
            {"error":{"message":"Rate limit reached for text-embedding-3-small in organization org-test on requests per min (RPM): Limit 3000, Used 3000, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
    static final Reply SERVER_ERROR = new Status(500, """
            {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}""");
    static final Reply TOO_LONG = new Status(400, """
            {"error":{"message":"This model's maximum context length is 8192 tokens, however you requested 9000 tokens (9000 in your prompt; 0 for the completion). Please reduce your prompt; or completion length.","type":"invalid_request_error","param":null,"code":null}}""");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeOpenAiEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a slow reply must not hold up the next request
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next requests get these replies, in order; later ones are answered correctly. */
    FakeOpenAiEndpoint then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    FakeOpenAiEndpoint then(int times, Reply reply) {
        for (int i = 0; i < times; i++) {
            script.add(reply);
        }
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    /** The vector the server gives {@code text}: a function of the text alone, so order can be checked. */
    static float[] vectorFor(String text, int dimension) {
        float[] v = new float[dimension];
        int h = text.hashCode();
        for (int i = 0; i < dimension; i++) {
            v[i] = ((h ^ (i * 0x9E3779B9)) % 1000) / 1000f;
        }
        return v;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            List<String> input = new ArrayList<>();
            body.path("input").forEach(n -> input.add(n.asText()));
            requests.add(new Request(body.path("model").asText(), input, body,
                    exchange.getRequestHeaders().getFirst("Authorization")));
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{}");
                return;
            }
            if (body.hasNonNull("encoding_format") && !"float".equals(body.get("encoding_format").asText())) {
                send(exchange, 400, "{\"error\":{\"message\":\"this fake speaks encoding_format=float only\"}}");
                return;
            }
            Reply reply = script.poll();
            int dimension = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : 1536;
            String model = body.path("model").asText();
            if (reply instanceof Status s) {
                send(exchange, s.status(), s.body());
            } else if (reply instanceof Dimension d) {
                send(exchange, 200, embeddings(model, input, d.dimension()));
            } else {
                if (reply instanceof Slow) {
                    closing.await(30, TimeUnit.SECONDS);
                }
                send(exchange, 200, embeddings(model, input, dimension));
            }
        } catch (IOException e) {
            // the client gave up (timeout) and closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String embeddings(String model, List<String> input, int dimension) {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < input.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
            float[] v = vectorFor(input.get(i), dimension);
            for (int j = 0; j < v.length; j++) {
                sb.append(j == 0 ? "" : ",").append(v[j]);
            }
            sb.append("]}");
            tokens += input.get(i).split("\\s+").length;
        }
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
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
