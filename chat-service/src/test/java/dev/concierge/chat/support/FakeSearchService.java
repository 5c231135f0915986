package dev.concierge.chat.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * search-service's {@code GET /api/search} on a local port, in its wire format (snake_case passages), so the
 * chat can be tested without the index behind it. Records the raw query strings it was sent.
 */
public final class FakeSearchService {

    private final HttpServer server;
    private final AtomicReference<String> results = new AtomicReference<>("[]");
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> rawQueries = new CopyOnWriteArrayList<>();

    public FakeSearchService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/search", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        rawQueries.add(exchange.getRequestURI().getRawQuery());
        byte[] body = (status.get() == 200 ? "{\"results\":" + results.get() + "}"
                : "{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":" + status.get() + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status.get(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every search answers with this one passage (cosine similarity 0.7). */
    public void answersWith(String url, String title, String text) {
        status.set(200);
        results.set("[{\"url\":\"" + url + "\",\"title\":\"" + title + "\",\"heading\":null,\"snippet\":\"" + text
                + "\",\"text\":\"" + text + "\",\"chunk_index\":0,\"score\":0.7}]");
    }

    /** A passage search-service finds. */
    public record Hit(String url, String title, String text, double score) {
    }

    /** Every search answers with these passages, in this order (best first). */
    public void answersWith(Hit... hits) {
        status.set(200);
        results.set(java.util.Arrays.stream(hits).map(h -> "{\"url\":\"" + h.url() + "\",\"title\":\"" + h.title()
                + "\",\"heading\":null,\"snippet\":\"" + h.text() + "\",\"text\":\"" + h.text()
                + "\",\"chunk_index\":0,\"score\":" + h.score() + "}").collect(java.util.stream.Collectors.joining(",", "[", "]")));
    }

    /** Every search answers with this HTTP error status (400: search-service rejected the query). */
    public void failsWith(int httpStatus) {
        status.set(httpStatus);
    }

    public void reset() {
        status.set(200);
        results.set("[]");
        rawQueries.clear();
    }

    /** The raw (encoded) query strings received so far. */
    public List<String> rawQueries() {
        return List.copyOf(rawQueries);
    }

    /** The decoded {@code q} parameters received so far. */
    public List<String> queries() {
        return rawQueries.stream().flatMap(q -> java.util.Arrays.stream(q.split("&")))
                .filter(p -> p.startsWith("q=")).map(p -> URLDecoder.decode(p.substring(2), StandardCharsets.UTF_8)).toList();
    }
}
