package dev.concierge.scraper.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small store site on a JDK HttpServer at a random loopback port, recording every request. Every page
 * carries an {@code ETag} (a hash of its body) and answers a matching {@code If-None-Match} with 304;
 * a path {@link #gone gone} answers 404.
 */
public final class TinyShopSite implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<String> requestedUris = new CopyOnWriteArrayList<>();
    private final List<String> notModified = new CopyOnWriteArrayList<>();

    private record Response(String contentType, String body) {
    }

    private TinyShopSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    /** A site whose robots.txt disallows everything. */
    public static TinyShopSite disallowingEverything() throws IOException {
        TinyShopSite site = new TinyShopSite();
        site.add("/robots.txt", "text/plain", "User-agent: *\nDisallow: /\n");
        site.add("/", "text/html", "<html><body><main><h1>Closed</h1></main></body></html>");
        return site;
    }

    /**
     * Home links to /about, /shipping (with a cookie banner) and /private/stock (disallowed by robots.txt),
     * plus an image and another site; /returns is linked from nowhere but listed in /sitemap.xml.
     */
    public static TinyShopSite shop() throws IOException {
        TinyShopSite site = new TinyShopSite();
        site.add("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n");
        site.add("/sitemap.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>%1$s/</loc></url>
                  <url><loc>%1$s/returns</loc><lastmod>2026-01-01</lastmod></url>
                  <url><loc>https://other.example/elsewhere</loc></url>
                </urlset>
                """.formatted(site.origin()));
        site.add("/", "text/html", page("Tiny Shop", """
                <h1>Tiny Shop</h1>
                <p>Hand-made mugs and bowls from Utrecht.</p>
                <ul>
                  <li><a href="/about">About us</a></li>
                  <li><a href="/shipping">Shipping</a></li>
                  <li><a href="/private/stock">Stock levels</a></li>
                </ul>
                <img src="/logo.png" alt=""><a href="/logo.png">Logo</a>
                <a href="https://other.example/partner">Partner shop</a>
                """, ""));
        site.add("/about", "text/html", page("About us", """
                <h1>About us</h1>
                <p>We are two potters with a kiln in the garden.</p>
                """, ""));
        site.add("/shipping", "text/html", page("Shipping policy", """
                <h1>Shipping policy</h1>
                <p>Orders over 60 EUR ship free within the Netherlands.</p>
                <h2>Delivery times</h2>
                <ul><li>Netherlands: 1-2 working days</li><li>Belgium: 2-4 working days</li></ul>
                """, """
                <div id="cookie-notice" class="cookie-banner">We use cookies to improve your visit. <button>Accept</button></div>
                """));
        site.add("/returns", "text/html", page("Returns", """
                <h1>Returns</h1>
                <p>Return unused items within 30 days for a full refund.</p>
                """, ""));
        site.add("/private/stock", "text/html", page("Stock", "<h1>Stock</h1><p>Secret stock levels.</p>", ""));
        return site;
    }

    private static String page(String title, String main, String banner) {
        return """
                <!doctype html>
                <html><head><title>%s</title><script>var analytics = "tracking";</script></head>
                <body>
                %s
                <header><a href="/">Tiny Shop</a><nav><a href="/">Start</a> <a href="/about">Our story</a></nav></header>
                <main>
                %s
                </main>
                <footer>Tiny Shop footer, Utrecht</footer>
                </body></html>
                """.formatted(title, banner, main);
    }

    public void add(String path, String contentType, String body) {
        responses.put(path, new Response(contentType, body));
    }

    /** An HTML page with the site's header, footer and {@code main} content. */
    public void addPage(String path, String title, String main) {
        add(path, "text/html", page(title, main, ""));
    }

    /** From now on {@code path} answers 404. */
    public void gone(String path) {
        responses.remove(path);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String url(String path) {
        return origin() + path;
    }

    public List<String> requestedPaths() {
        return List.copyOf(requested);
    }

    /** Path and query of every request, as sent. */
    public List<String> requestedUris() {
        return List.copyOf(requestedUris);
    }

    /** Paths answered 304 Not Modified. */
    public List<String> notModifiedPaths() {
        return List.copyOf(notModified);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requested.add(path);
        requestedUris.add(exchange.getRequestURI().getRawQuery() == null ? path
                : path + "?" + exchange.getRequestURI().getRawQuery());
        Response response = responses.get(path);
        byte[] body = (response == null ? "not found" : response.body()).getBytes(StandardCharsets.UTF_8);
        if (response != null) {
            String etag = "\"" + Integer.toHexString(response.body().hashCode()) + "\"";
            exchange.getResponseHeaders().set("ETag", etag);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.add(path);
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
        }
        exchange.getResponseHeaders().set("Content-Type",
                (response == null ? "text/plain" : response.contentType()) + "; charset=utf-8");
        exchange.sendResponseHeaders(response == null ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
