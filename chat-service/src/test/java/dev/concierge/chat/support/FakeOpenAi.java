package dev.concierge.chat.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's {@code POST /v1/chat/completions} on a local port, in its wire format: a JSON completion, an error
 * status, or (for {@code "stream":true}) {@code text/event-stream} of {@code chat.completion.chunk} objects, one
 * per piece of content, then a chunk with {@code finish_reason: "stop"}, the usage chunk when the request asked
 * for it ({@code stream_options.include_usage}), and {@code data: [DONE]}; or, for a model calling a tool, an
 * assistant message with {@code tool_calls} and then the answer to the follow-up that carries the tool's result. Requests are handled on their own
 * threads, so a slow answer holds up no other. Records the bodies and Authorization headers it was sent, and
 * counts streams the client closed before their end.
 */
public final class FakeOpenAi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the server does with one request. */
    @FunctionalInterface
    private interface Reply {
        void to(HttpExchange exchange, String requestBody) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private final Queue<Reply> once = new ConcurrentLinkedQueue<>();
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicInteger abandonedStreams = new AtomicInteger();

    public FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
        answers(500, "{\"error\":{\"message\":\"no answer set\",\"type\":\"server_error\"}}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requestBodies.add(body);
        authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
        Reply next = once.poll();
        try {
            (next != null ? next : reply.get()).to(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            abandonedStreams.incrementAndGet(); // the client closed the connection while we were answering
        } finally {
            exchange.close();
        }
    }

    /** The base URL to configure ({@code OPENAI_BASE_URL}), ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every request gets this status and JSON body (a completion, or an OpenAI error object). */
    public void answers(int status, String json) {
        reply.set((exchange, request) -> json(exchange, status, json));
    }

    /** Every request is answered with this content, streamed one chunk per piece (JSON when not asked to stream). */
    public void streams(String... pieces) {
        reply.set((exchange, request) -> stream(exchange, request, List.of(pieces), Duration.ZERO, true));
    }

    /** Every request is streamed these pieces, then nothing more for {@code silence} (the connection held open). */
    public void streamsThenFallsSilent(Duration silence, String... pieces) {
        reply.set((exchange, request) -> {
            stream(exchange, request, List.of(pieces), Duration.ZERO, false);
            Thread.sleep(silence.toMillis());
        });
    }

    /** Every request is streamed these pieces with {@code pause} before each, as a slow model writes. */
    public void trickles(Duration pause, String... pieces) {
        reply.set((exchange, request) -> stream(exchange, request, List.of(pieces), pause, true));
    }

    /** Every request waits {@code delay} before anything is answered, then gets a 500. */
    public void hangs(Duration delay) {
        reply.set((exchange, request) -> {
            Thread.sleep(delay.toMillis());
            json(exchange, 500, "{\"error\":{\"message\":\"too late\",\"type\":\"server_error\"}}");
        });
    }

    /**
     * A model that calls a tool: a request without a {@code tool} message is answered with an assistant message
     * whose {@code tool_calls} ask for {@code name} with {@code argumentsJson} ({@code finish_reason:
     * "tool_calls"}); the follow-up carrying the {@code tool} role message gets the final answer made from that
     * message's content. Not streamed.
     */
    public void callsToolThenAnswers(String name, String argumentsJson, Function<String, String> answerFromToolResult) {
        reply.set((exchange, request) -> {
            String toolResult = null;
            for (JsonNode message : JSON.readTree(request).path("messages")) {
                if ("tool".equals(message.path("role").asString(""))) {
                    toolResult = message.path("content").asString("");
                }
            }
            if (toolResult != null) {
                json(exchange, 200, completion(answerFromToolResult.apply(toolResult)));
                return;
            }
            json(exchange, 200, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                    + "\"tool_calls\":[{\"id\":\"call_fake_1\",\"type\":\"function\",\"function\":{\"name\":"
                    + JSON.writeValueAsString(name) + ",\"arguments\":" + JSON.writeValueAsString(argumentsJson) + "}}]},"
                    + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":150,\"completion_tokens\":20,\"total_tokens\":170}}");
        });
    }

    /** The next request (only) gets this status, before what is set for every request. */
    public void failsOnce(int status) {
        once.add((exchange, request) -> json(exchange, status,
                "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
    }

    public List<String> requestBodies() {
        return List.copyOf(requestBodies);
    }

    public int requests() {
        return requestBodies.size();
    }

    public String lastAuthorization() {
        return authorization.get();
    }

    /** Streams the client closed before their end. */
    public int abandonedStreams() {
        return abandonedStreams.get();
    }

    public void reset() {
        once.clear();
        requestBodies.clear();
        abandonedStreams.set(0);
        answers(500, "{\"error\":{\"message\":\"no answer set\",\"type\":\"server_error\"}}");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void json(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void stream(HttpExchange exchange, String request, List<String> pieces, Duration pause, boolean finish)
            throws IOException, InterruptedException {
        if (!JSON.readTree(request).path("stream").asBoolean(false)) {
            json(exchange, 200, completion(String.join("", pieces)));
            return;
        }
        boolean usage = JSON.readTree(request).path("stream_options").path("include_usage").asBoolean(false);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        send(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, usage));
        for (String piece : pieces) {
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
            send(out, chunk("{\"content\":" + JSON.writeValueAsString(piece) + "}", null, usage));
        }
        if (!finish) {
            return;
        }
        send(out, chunk("{}", "stop", usage));
        if (usage) {
            send(out, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_fake\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":" + pieces.size()
                    + ",\"total_tokens\":" + (120 + pieces.size()) + "}}");
        }
        send(out, "[DONE]");
    }

    private static String chunk(String delta, String finishReason, boolean usage) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]" + (usage ? ",\"usage\":null" : "") + "}";
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String completion(String content) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(content)
                + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":12,\"total_tokens\":132}}";
    }
}
