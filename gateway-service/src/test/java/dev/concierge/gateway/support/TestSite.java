package dev.concierge.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's web site for verification tests: a JDK {@link HttpServer} on 127.0.0.1 answering each path with what
 * the test set (status, content type, body, extra headers, a delay); 404 for any other path.
 */
public final class TestSite implements AutoCloseable {

    /** What one path answers. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers, long delayMillis) {

        public static Answer ok(String contentType, String body) {
            return new Answer(200, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), 0);
        }

        public static Answer status(int status) {
            return new Answer(status, "text/plain", ("HTTP " + status).getBytes(StandardCharsets.UTF_8), Map.of(), 0);
        }

        public static Answer redirect(String location) {
            return new Answer(302, "text/plain", new byte[0], Map.of("Location", location), 0);
        }

        public Answer delayedBy(long millis) {
            return new Answer(status, contentType, body, headers, millis);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();

    private TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-site");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static TestSite start() {
        try {
            return new TestSite();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    /** How often {@code path} was requested. */
    public int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    public void clear() {
        answers.clear();
        hits.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.merge(path, 1, Integer::sum);
        Answer answer = answers.getOrDefault(path, Answer.status(404));
        try {
            if (answer.delayMillis() > 0) {
                TimeUnit.MILLISECONDS.sleep(answer.delayMillis());
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (size limit, timeout): fine
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
