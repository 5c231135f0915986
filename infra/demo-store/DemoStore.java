/*
 * Demo store for Concierge: a tiny, dependency-free web server that serves the static
 * "Cedar & Spoke Cycles" shop in ./site so the crawler and the chat have something real to work on.
 *
 * Run (JDK 17+, no build step):
 *
 *   java infra/demo-store/DemoStore.java [--port 8090] [--root infra/demo-store/site] [--bind 127.0.0.1] [--verbose]
 *
 * Routing: every handler is registered in DemoStore#routes(). The JDK HttpServer dispatches a request to the
 * context with the longest matching path prefix: "/" is the static site, "/wp-json" the WooCommerce-compatible
 * REST API (WooCommerceApi, data from woocommerce/catalog.json, kept in memory; see README.md).
 */

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

public final class DemoStore {

    static final int DEFAULT_PORT = 8090;
    static final int WORKER_THREADS = 4;

    private DemoStore() {
    }

    public static void main(String[] args) throws IOException {
        Config config;
        try {
            config = Config.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("demo-store: " + e.getMessage());
            System.err.println(Config.USAGE);
            System.exit(2);
            return;
        }
        if (config.help()) {
            System.out.println(Config.USAGE);
            return;
        }
        if (!Files.isDirectory(config.root())) {
            System.err.println("demo-store: site root is not a directory: " + config.root());
            System.exit(2);
            return;
        }

        AccessLog log = config.verbose() ? AccessLog.to(System.err) : AccessLog.NONE;
        HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 0);
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads("demo-store-worker"));
        server.setExecutor(workers);
        String host = isWildcard(config.bind()) ? "127.0.0.1" : config.bind();
        String base = "http://" + host + ":" + server.getAddress().getPort();
        routes(config, base).forEach((prefix, handler) -> server.createContext(prefix, new Guarded(handler, log)));
        server.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdownNow();
        }, "demo-store-shutdown"));

        System.out.println("demo-store listening on " + base);
        System.out.println("demo-store WooCommerce REST API on " + base + "/wp-json/wc/v3/ (consumer key "
                + config.wc().key() + ", consumer secret " + config.wc().secret() + ")");
    }

    /** All request handlers, keyed by path prefix. Longest matching prefix wins. */
    static Map<String, HttpHandler> routes(Config config, String publicBase) {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        StaticSiteHandler site = new StaticSiteHandler(config.root(), publicBase);
        routes.put("/", site);
        routes.put("/wp-json", new WooCommerceApi(config.wc(), publicBase, site));
        return routes;
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ------------------------------------------------------------------------------------------------
    // Configuration
    // ------------------------------------------------------------------------------------------------

    record Config(int port, Path root, String bind, boolean verbose, boolean help, WcOptions wc) {

        Config(int port, Path root, String bind, boolean verbose, boolean help) {
            this(port, root, bind, verbose, help, WcOptions.defaults());
        }

        static final String USAGE = """
                usage: java infra/demo-store/DemoStore.java [--port N] [--root DIR] [--bind ADDR] [--verbose] [--wc-... options]
                  --port N     port to listen on (default: $DEMO_STORE_PORT, else 8090; 0 = any free port)
                  --root DIR   directory with the site (default: the 'site' folder next to DemoStore.java)
                  --bind ADDR  address to bind (default: 127.0.0.1)
                  --verbose    log one line per request to stderr
                WooCommerce-compatible REST API under /wp-json/wc/v3/ (see README.md):
                  --wc-key KEY               consumer key (default: the demo key in README.md)
                  --wc-secret SECRET         consumer secret (default: the demo secret in README.md)
                  --wc-catalog FILE          catalog JSON (default: woocommerce/catalog.json next to DemoStore.java)
                  --wc-allow-basic-over-http accept HTTP Basic / consumer_key query auth over plain HTTP (tests only)
                  --wc-fail-every N          every Nth API request answers 500 (fault injection; 0 = off)
                  --wc-throttle-every N      every Nth API request answers 429 with Retry-After (0 = off)
                  --wc-retry-after SECONDS   Retry-After value for --wc-throttle-every (default 2)
                  --wc-webhook-timeout SECS  timeout of one webhook delivery (default 10)""";

        static Config parse(String[] args, Map<String, String> env) {
            Integer port = null;
            Path root = null;
            String bind = "127.0.0.1";
            boolean verbose = false;
            boolean help = false;
            WcOptions wc = WcOptions.defaults();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String inlineValue = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    inlineValue = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--port" -> port = parsePort(inlineValue != null ? inlineValue : value(args, ++i, arg), arg);
                    case "--root" -> root = Path.of(inlineValue != null ? inlineValue : value(args, ++i, arg));
                    case "--bind" -> bind = inlineValue != null ? inlineValue : value(args, ++i, arg);
                    case "--verbose" -> verbose = true;
                    case "-h", "--help" -> help = true;
                    case "--wc-key" -> wc = wc.withKey(inlineValue != null ? inlineValue : value(args, ++i, arg));
                    case "--wc-secret" -> wc = wc.withSecret(inlineValue != null ? inlineValue : value(args, ++i, arg));
                    case "--wc-catalog" -> wc = wc.withCatalog(Path.of(inlineValue != null ? inlineValue : value(args, ++i, arg)));
                    case "--wc-allow-basic-over-http" -> wc = wc.withAllowBasic(true);
                    case "--wc-fail-every" -> wc = wc.withFailEvery(count(inlineValue != null ? inlineValue : value(args, ++i, arg), arg));
                    case "--wc-throttle-every" -> wc = wc.withThrottleEvery(count(inlineValue != null ? inlineValue : value(args, ++i, arg), arg));
                    case "--wc-retry-after" -> wc = wc.withRetryAfter(count(inlineValue != null ? inlineValue : value(args, ++i, arg), arg));
                    case "--wc-webhook-timeout" -> wc = wc.withWebhookTimeout(Math.max(1, count(inlineValue != null ? inlineValue : value(args, ++i, arg), arg)));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (port == null) {
                String fromEnv = env.get("DEMO_STORE_PORT");
                port = fromEnv == null || fromEnv.isBlank() ? DEFAULT_PORT : parsePort(fromEnv.trim(), "DEMO_STORE_PORT");
            }
            if (root == null) {
                root = defaultRoot();
            }
            if (wc.catalog() == null) {
                wc = wc.withCatalog(defaultCatalog());
            }
            if (wc.key().isBlank() || wc.secret().isBlank()) {
                throw new IllegalArgumentException("--wc-key and --wc-secret must not be empty");
            }
            return new Config(port, root.toAbsolutePath().normalize(), bind, verbose, help, wc);
        }

        private static int count(String raw, String flag) {
            try {
                int n = Integer.parseInt(raw.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a non-negative number: " + raw);
            }
        }

        /** woocommerce/catalog.json next to this source file, else under infra/demo-store/ in the current dir. */
        private static Path defaultCatalog() {
            Optional<Path> nextToSource = sourceFile().map(file -> file.resolveSibling("woocommerce").resolve("catalog.json"));
            if (nextToSource.isPresent() && Files.isRegularFile(nextToSource.get())) {
                return nextToSource.get();
            }
            return Path.of("infra", "demo-store", "woocommerce", "catalog.json").toAbsolutePath();
        }

        private static String value(String[] args, int index, String flag) {
            if (index >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[index];
        }

        private static int parsePort(String raw, String source) {
            try {
                int port = Integer.parseInt(raw);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": not a valid port: " + raw);
            }
        }

        /** The 'site' folder next to this source file, else infra/demo-store/site (or site) under the current dir. */
        private static Path defaultRoot() {
            Optional<Path> nextToSource = sourceFile().map(file -> file.resolveSibling("site"));
            if (nextToSource.isPresent() && Files.isDirectory(nextToSource.get())) {
                return nextToSource.get();
            }
            Path fromRepoRoot = Path.of("infra", "demo-store", "site");
            if (Files.isDirectory(fromRepoRoot)) {
                return fromRepoRoot;
            }
            return Path.of("site");
        }

        private static Optional<Path> sourceFile() {
            String launched = System.getProperty("jdk.launcher.sourcefile");
            if (launched != null) {
                return Optional.of(Path.of(launched).toAbsolutePath());
            }
            try {
                var codeSource = DemoStore.class.getProtectionDomain().getCodeSource();
                if (codeSource != null && codeSource.getLocation() != null) {
                    Path location = Path.of(codeSource.getLocation().toURI());
                    return Optional.of(Files.isDirectory(location) ? location.resolve("DemoStore.java") : location);
                }
            } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
                // fall through to the current-directory default
            }
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Shared HTTP plumbing
    // ------------------------------------------------------------------------------------------------

    /** Thrown by handlers to end a request with an error status and a short HTML page. */
    static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient Map<String, String> headers;

        HttpError(int status, String message) {
            this(status, message, Map.of());
        }

        HttpError(int status, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.headers = headers;
        }
    }

    /** Wraps a handler: turns HttpError/unexpected exceptions into responses, logs, and always closes. */
    static final class Guarded implements HttpHandler {
        private final HttpHandler delegate;
        private final AccessLog log;

        Guarded(HttpHandler delegate, AccessLog log) {
            this.delegate = delegate;
            this.log = log;
        }

        @Override
        public void handle(HttpExchange exchange) {
            try (exchange) {
                try {
                    delegate.handle(exchange);
                } catch (HttpError e) {
                    e.headers.forEach(exchange.getResponseHeaders()::set);
                    Responses.error(exchange, e.status, e.getMessage());
                } catch (IOException | UncheckedIOException e) {
                    // Usually the client went away; nothing sensible left to send.
                    log.failure(exchange, e);
                } catch (RuntimeException e) {
                    log.failure(exchange, e);
                    Responses.error(exchange, 500, "Something went wrong on our side.");
                }
            } catch (IOException | RuntimeException e) {
                log.failure(exchange, e);
            } finally {
                log.request(exchange);
            }
        }
    }

    /** Small helpers for writing responses; also meant for future JSON API handlers. */
    static final class Responses {
        private Responses() {
        }

        static boolean isHead(HttpExchange exchange) {
            return "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        }

        /** Sends a complete body (omitted for HEAD, but Content-Length still reported). */
        static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", contentType);
            headers.set("X-Content-Type-Options", "nosniff");
            if (isHead(exchange)) {
                headers.set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
            send(exchange, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        static void notModified(HttpExchange exchange) throws IOException {
            exchange.sendResponseHeaders(304, -1);
        }

        static void redirect(HttpExchange exchange, int status, String location) throws IOException {
            exchange.getResponseHeaders().set("Location", location);
            String href = Html.escape(location);
            error(exchange, status, "Moved Permanently", "This page has moved to <a href=\"" + href + "\">" + href + "</a>.");
        }

        static void error(HttpExchange exchange, int status, String message) throws IOException {
            error(exchange, status, reason(status), Html.escape(message));
        }

        private static void error(HttpExchange exchange, int status, String title, String htmlMessage) throws IOException {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, status, "text/html; charset=utf-8", Html.errorPage(status, title, htmlMessage));
        }

        static String reason(int status) {
            return switch (status) {
                case 301 -> "Moved Permanently";
                case 304 -> "Not Modified";
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 404 -> "Page not found";
                case 405 -> "Method Not Allowed";
                default -> status >= 500 ? "Server Error" : "Error";
            };
        }
    }

    static final class Html {
        private Html() {
        }

        static String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        static byte[] errorPage(int status, String title, String htmlMessage) {
            String page = """
                    <!DOCTYPE html>
                    <html lang="en">
                    <head>
                    <meta charset="utf-8">
                    <title>%d %s | Cedar &amp; Spoke Cycles</title>
                    <meta name="robots" content="noindex">
                    <link rel="stylesheet" href="/assets/style.css">
                    </head>
                    <body>
                    <main class="error-page">
                    <h1>%d %s</h1>
                    <p>%s</p>
                    <p><a href="/">Back to the Cedar &amp; Spoke Cycles home page</a></p>
                    </main>
                    </body>
                    </html>
                    """.formatted(status, escape(title), status, escape(title), htmlMessage);
            return page.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Optional one-line-per-request log. */
    interface AccessLog {
        AccessLog NONE = new AccessLog() {
            @Override
            public void request(HttpExchange exchange) {
            }

            @Override
            public void failure(HttpExchange exchange, Exception e) {
                System.err.println("demo-store: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
            }
        };

        void request(HttpExchange exchange);

        void failure(HttpExchange exchange, Exception e);

        static AccessLog to(PrintStream out) {
            return new AccessLog() {
                @Override
                public void request(HttpExchange exchange) {
                    out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + exchange.getRequestMethod() + " "
                            + exchange.getRequestURI() + " " + exchange.getResponseCode());
                }

                @Override
                public void failure(HttpExchange exchange, Exception e) {
                    out.println("demo-store: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
                }
            };
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Static site
    // ------------------------------------------------------------------------------------------------

    /** Serves files under a root directory with directory indexes, validators and conditional GETs. */
    static final class StaticSiteHandler implements HttpHandler {
        private static final Set<String> METHODS = Set.of("GET", "HEAD");
        private static final String INDEX = "index.html";
        private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
        private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
                Map.entry("html", "text/html; charset=utf-8"),
                Map.entry("htm", "text/html; charset=utf-8"),
                Map.entry("xml", "application/xml; charset=utf-8"),
                Map.entry("txt", "text/plain; charset=utf-8"),
                Map.entry("css", "text/css; charset=utf-8"),
                Map.entry("js", "text/javascript; charset=utf-8"),
                Map.entry("json", "application/json; charset=utf-8"),
                Map.entry("png", "image/png"),
                Map.entry("jpg", "image/jpeg"),
                Map.entry("jpeg", "image/jpeg"),
                Map.entry("webp", "image/webp"),
                Map.entry("gif", "image/gif"),
                Map.entry("svg", "image/svg+xml"),
                Map.entry("ico", "image/x-icon"));

        /** The pages are written for the default address; absolute links follow the port actually served. */
        static final String AUTHORED_BASE = "http://127.0.0.1:8090";
        private static final Set<String> TEXT_TYPES = Set.of("html", "htm", "xml", "txt");

        private final Path root;
        private final String publicBase;
        private final Map<Path, StaticFile> cache = new ConcurrentHashMap<>();

        StaticSiteHandler(Path root, String publicBase) {
            this.root = root.toAbsolutePath().normalize();
            this.publicBase = publicBase;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            if (!METHODS.contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))) {
                throw new HttpError(405, "Only GET and HEAD are supported here.", Map.of("Allow", "GET, HEAD"));
            }
            String urlPath = exchange.getRequestURI().getPath();
            Path target = resolve(urlPath);

            if (Files.isDirectory(target)) {
                if (!urlPath.endsWith("/")) {
                    String query = exchange.getRequestURI().getRawQuery();
                    String location = exchange.getRequestURI().getRawPath() + "/" + (query == null ? "" : "?" + query);
                    Responses.redirect(exchange, 301, location);
                    return;
                }
                target = target.resolve(INDEX);
            } else if (urlPath.endsWith("/") && !urlPath.equals("/")) {
                throw new HttpError(404, "We couldn't find " + urlPath + ".");
            }
            StaticFile file = load(target).orElseThrow(() -> new HttpError(404, "We couldn't find " + urlPath + "."));

            Headers headers = exchange.getResponseHeaders();
            headers.set("ETag", file.etag());
            headers.set("Last-Modified", HTTP_DATE.format(file.lastModified().atZone(ZoneOffset.UTC)));
            headers.set("Cache-Control", "no-cache");
            if (notModified(exchange.getRequestHeaders(), file)) {
                Responses.notModified(exchange);
                return;
            }
            Responses.send(exchange, 200, contentType(target), file.bytes());
        }

        /** Maps a decoded URL path onto the root, refusing anything that could escape it. */
        private Path resolve(String urlPath) {
            if (urlPath == null || !urlPath.startsWith("/")) {
                throw new HttpError(400, "Bad request path.");
            }
            if (urlPath.indexOf('\0') >= 0 || urlPath.indexOf('\\') >= 0) {
                throw new HttpError(400, "Bad request path.");
            }
            StringBuilder relative = new StringBuilder();
            for (String segment : urlPath.split("/")) {
                if (segment.isEmpty() || segment.equals(".")) {
                    continue;
                }
                if (segment.equals("..")) {
                    throw new HttpError(400, "Path traversal is not allowed.");
                }
                if (segment.startsWith(".")) {
                    throw new HttpError(404, "We couldn't find " + urlPath + ".");
                }
                relative.append(relative.length() == 0 ? "" : "/").append(segment);
            }
            Path target = root.resolve(relative.toString()).normalize();
            if (!target.startsWith(root)) {
                throw new HttpError(400, "Path traversal is not allowed.");
            }
            return target;
        }

        /** Reads a regular file, reusing the cached bytes and ETag while size and mtime are unchanged. */
        private Optional<StaticFile> load(Path file) throws IOException {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.isRegularFile() || !file.toRealPath().startsWith(root.toRealPath())) {
                    return Optional.empty();
                }
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
            StaticFile cached = cache.get(file);
            if (cached != null && cached.lastModified().equals(modified) && cached.sourceSize() == attributes.size()) {
                return Optional.of(cached);
            }
            byte[] bytes = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (TEXT_TYPES.contains(ext) && !AUTHORED_BASE.equals(publicBase)) {
                bytes = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace(AUTHORED_BASE, publicBase)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            StaticFile fresh = new StaticFile(bytes, etagOf(bytes), modified, attributes.size());
            cache.put(file, fresh);
            return Optional.of(fresh);
        }

        /** RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison for GET/HEAD. */
        private static boolean notModified(Headers request, StaticFile file) {
            List<String> ifNoneMatch = request.get("If-None-Match");
            if (ifNoneMatch != null) {
                String bare = stripWeak(file.etag());
                for (String header : ifNoneMatch) {
                    for (String tag : header.split(",")) {
                        String candidate = tag.trim();
                        if (candidate.equals("*") || stripWeak(candidate).equals(bare)) {
                            return true;
                        }
                    }
                }
                return false;
            }
            String ifModifiedSince = request.getFirst("If-Modified-Since");
            if (ifModifiedSince != null) {
                try {
                    Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), HTTP_DATE).toInstant();
                    return !file.lastModified().isAfter(since);
                } catch (DateTimeParseException e) {
                    return false; // invalid dates are ignored, as the RFC asks
                }
            }
            return false;
        }

        private static String stripWeak(String tag) {
            return tag.startsWith("W/") ? tag.substring(2) : tag;
        }

        private static String etagOf(byte[] bytes) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always available", e);
            }
        }

        private static String contentType(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
        }

        record StaticFile(byte[] bytes, String etag, Instant lastModified, long sourceSize) {
        }
    }

    // ------------------------------------------------------------------------------------------------
    // WooCommerce-compatible REST API (/wp-json/wc/v3/)
    // ------------------------------------------------------------------------------------------------

    static final String DEFAULT_WC_KEY = "ck_5d1f0c3b9a8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String DEFAULT_WC_SECRET = "cs_0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3";

    record WcOptions(String key, String secret, Path catalog, boolean allowBasic, int failEvery, int throttleEvery,
                     int retryAfter, int webhookTimeout) {
        static WcOptions defaults() {
            return new WcOptions(DEFAULT_WC_KEY, DEFAULT_WC_SECRET, null, false, 0, 0, 2, 10);
        }

        WcOptions withKey(String v) {
            return new WcOptions(v, secret, catalog, allowBasic, failEvery, throttleEvery, retryAfter, webhookTimeout);
        }

        WcOptions withSecret(String v) {
            return new WcOptions(key, v, catalog, allowBasic, failEvery, throttleEvery, retryAfter, webhookTimeout);
        }

        WcOptions withCatalog(Path v) {
            return new WcOptions(key, secret, v, allowBasic, failEvery, throttleEvery, retryAfter, webhookTimeout);
        }

        WcOptions withAllowBasic(boolean v) {
            return new WcOptions(key, secret, catalog, v, failEvery, throttleEvery, retryAfter, webhookTimeout);
        }

        WcOptions withFailEvery(int v) {
            return new WcOptions(key, secret, catalog, allowBasic, v, throttleEvery, retryAfter, webhookTimeout);
        }

        WcOptions withThrottleEvery(int v) {
            return new WcOptions(key, secret, catalog, allowBasic, failEvery, v, retryAfter, webhookTimeout);
        }

        WcOptions withRetryAfter(int v) {
            return new WcOptions(key, secret, catalog, allowBasic, failEvery, throttleEvery, v, webhookTimeout);
        }

        WcOptions withWebhookTimeout(int v) {
            return new WcOptions(key, secret, catalog, allowBasic, failEvery, throttleEvery, retryAfter, v);
        }
    }

    /** A WordPress REST error: {"code","message","data":{"status",...}} with that HTTP status. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final transient Map<String, Object> extra;

        ApiError(int status, String code, String message) {
            this(status, code, message, Map.of());
        }

        ApiError(int status, String code, String message, Map<String, Object> extra) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.extra = extra;
        }

        static ApiError invalidParams(Map<String, String> params) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("params", new LinkedHashMap<>(params));
            return new ApiError(400, "rest_invalid_param", "Invalid parameter(s): " + String.join(", ", params.keySet()), extra);
        }

        String toJson() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", status);
            data.putAll(extra);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", code);
            body.put("message", getMessage());
            body.put("data", data);
            return Json.write(body);
        }
    }

    /** Minimal JSON reader/writer. Writes like PHP's wp_json_encode: "/" as "\/" and non-ASCII as \\uXXXX. */
    static final class Json {
        private Json() {
        }

        static Object parse(String text) {
            Parser parser = new Parser(text);
            parser.ws();
            Object value = parser.value();
            parser.ws();
            if (parser.i != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + parser.i);
            }
            return value;
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(out, value);
            return out.toString();
        }

        private static void write(StringBuilder out, Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String string) {
                string(out, string);
            } else if (value instanceof java.math.BigDecimal decimal) {
                out.append(decimal.toPlainString());
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            } else if (value instanceof Iterable<?> list) {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, item);
                }
                out.append(']');
            } else {
                string(out, value.toString());
            }
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '/' -> out.append("\\/");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        /** Deep copy of parsed JSON (maps stay ordered). */
        @SuppressWarnings("unchecked")
        static <T> T copy(T value) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
                return (T) out;
            }
            if (value instanceof List<?> list) {
                List<Object> out = new java.util.ArrayList<>(list.size());
                list.forEach(v -> out.add(copy(v)));
                return (T) out;
            }
            return value;
        }

        private static final class Parser {
            final String s;
            int i;

            Parser(String s) {
                this.s = s;
            }

            void ws() {
                while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
            }

            IllegalArgumentException error(String what) {
                return new IllegalArgumentException(what + " at " + i);
            }

            Object value() {
                if (i >= s.length()) {
                    throw error("unexpected end");
                }
                char c = s.charAt(i);
                switch (c) {
                    case '{':
                        return object();
                    case '[':
                        return array();
                    case '"':
                        return string();
                    case 't':
                        literal("true");
                        return Boolean.TRUE;
                    case 'f':
                        literal("false");
                        return Boolean.FALSE;
                    case 'n':
                        literal("null");
                        return null;
                    default:
                        return number();
                }
            }

            void literal(String word) {
                if (!s.startsWith(word, i)) {
                    throw error("bad literal");
                }
                i += word.length();
            }

            Map<String, Object> object() {
                Map<String, Object> map = new LinkedHashMap<>();
                i++;
                ws();
                if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return map;
                }
                while (true) {
                    ws();
                    if (i >= s.length() || s.charAt(i) != '"') {
                        throw error("expected a key");
                    }
                    String key = string();
                    ws();
                    if (i >= s.length() || s.charAt(i) != ':') {
                        throw error("expected ':'");
                    }
                    i++;
                    ws();
                    map.put(key, value());
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return map;
                    } else {
                        throw error("expected ',' or '}'");
                    }
                }
            }

            List<Object> array() {
                List<Object> list = new java.util.ArrayList<>();
                i++;
                ws();
                if (i < s.length() && s.charAt(i) == ']') {
                    i++;
                    return list;
                }
                while (true) {
                    ws();
                    list.add(value());
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return list;
                    } else {
                        throw error("expected ',' or ']'");
                    }
                }
            }

            String string() {
                StringBuilder out = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw error("unterminated string");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        return out.toString();
                    }
                    if (c == '\\') {
                        if (i >= s.length()) {
                            throw error("bad escape");
                        }
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> out.append('\n');
                            case 'r' -> out.append('\r');
                            case 't' -> out.append('\t');
                            case 'b' -> out.append('\b');
                            case 'f' -> out.append('\f');
                            case 'u' -> {
                                if (i + 4 > s.length()) {
                                    throw error("bad unicode escape");
                                }
                                out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> out.append(e);
                        }
                    } else if (c < 0x20) {
                        throw error("control character in string");
                    } else {
                        out.append(c);
                    }
                }
            }

            Object number() {
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                String raw = s.substring(start, i);
                if (raw.isEmpty()) {
                    throw error("unexpected character");
                }
                try {
                    if (raw.contains(".") || raw.contains("e") || raw.contains("E")) {
                        return new java.math.BigDecimal(raw);
                    }
                    return Long.parseLong(raw);
                } catch (NumberFormatException e) {
                    throw error("bad number");
                }
            }
        }
    }

    /** In-memory WooCommerce store: products, variations, orders and webhooks shaped like WC REST v3 responses. */
    static final class WooData {
        static final DateTimeFormatter WP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
        static final java.math.BigDecimal VAT = new java.math.BigDecimal("1.21");
        static final List<String> PRODUCT_STATUSES = List.of("draft", "pending", "private", "publish");
        static final List<String> STOCK_STATUSES = List.of("instock", "outofstock", "onbackorder");
        static final List<String> BACKORDERS = List.of("no", "notify", "yes");
        static final List<String> ORDER_STATUSES = List.of("pending", "processing", "on-hold", "completed", "cancelled",
                "refunded", "failed", "checkout-draft");

        final String base;
        final java.time.ZoneId zone;
        final Map<String, Object> store;
        final Map<Long, Map<String, Object>> categories = new LinkedHashMap<>();
        final java.util.TreeMap<Long, Map<String, Object>> products = new java.util.TreeMap<>();
        final Map<Long, java.util.TreeMap<Long, Map<String, Object>>> variations = new java.util.HashMap<>();
        final java.util.TreeMap<Long, Map<String, Object>> orders = new java.util.TreeMap<>();
        final java.util.TreeMap<Long, Map<String, Object>> webhooks = new java.util.TreeMap<>();
        long nextPostId = 1000;
        long nextMetaId = 5000;
        long nextWebhookId = 1;

        @SuppressWarnings("unchecked")
        WooData(Path catalogFile, String base) throws IOException {
            this.base = base;
            Map<String, Object> catalog;
            if (catalogFile != null && Files.isRegularFile(catalogFile)) {
                catalog = (Map<String, Object>) Json.parse(Files.readString(catalogFile, StandardCharsets.UTF_8));
            } else {
                System.err.println("demo-store: WooCommerce catalog not found (" + catalogFile + "); the API starts empty");
                catalog = new LinkedHashMap<>();
            }
            store = (Map<String, Object>) catalog.getOrDefault("store", new LinkedHashMap<>());
            zone = java.time.ZoneId.of((String) store.getOrDefault("timezone", "Europe/Amsterdam"));
            for (Object c : (List<Object>) catalog.getOrDefault("categories", List.of())) {
                Map<String, Object> cat = (Map<String, Object>) c;
                categories.put(num(cat.get("id")), cat);
            }
            for (Object o : (List<Object>) catalog.getOrDefault("products", List.of())) {
                Map<String, Object> spec = (Map<String, Object>) o;
                Map<String, Object> product = buildProduct(spec);
                products.put(num(product.get("id")), product);
            }
            for (Object o : (List<Object>) catalog.getOrDefault("orders", List.of())) {
                Map<String, Object> order = buildOrder((Map<String, Object>) o);
                orders.put(num(order.get("id")), order);
            }
            long maxId = 0;
            for (Long id : products.keySet()) {
                maxId = Math.max(maxId, id);
            }
            for (var vs : variations.values()) {
                for (Long id : vs.keySet()) {
                    maxId = Math.max(maxId, id);
                }
            }
            for (Long id : orders.keySet()) {
                maxId = Math.max(maxId, id);
            }
            nextPostId = Math.max(nextPostId, maxId + 1);
        }

        static long num(Object o) {
            if (o instanceof Number n) {
                return n.longValue();
            }
            return Long.parseLong(String.valueOf(o).trim());
        }

        static String str(Object o) {
            return o == null ? "" : String.valueOf(o);
        }

        static Instant parseGmt(Object raw) {
            if (raw == null || str(raw).isEmpty()) {
                return null;
            }
            return java.time.LocalDateTime.parse(str(raw)).toInstant(ZoneOffset.UTC);
        }

        void putDate(Map<String, Object> map, String field, Instant when) {
            map.put(field, when == null ? null : WP_DATE.format(when.atZone(zone)));
            map.put(field + "_gmt", when == null ? null : WP_DATE.format(when.atZone(ZoneOffset.UTC)));
        }

        static Instant gmtOf(Map<String, Object> map, String field) {
            return parseGmt(map.get(field + "_gmt"));
        }

        static Instant now() {
            return Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }

        static Map<String, Object> dimensions() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("length", "");
            d.put("width", "");
            d.put("height", "");
            return d;
        }

        static String money(java.math.BigDecimal amount) {
            return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        }

        static String slugify(String text) {
            return text.toLowerCase(Locale.ROOT).replaceAll("&amp;", "").replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }

        String priceHtml(String price) {
            if (price == null || price.isEmpty()) {
                return "";
            }
            return "<span class=\"woocommerce-Price-amount amount\"><bdi><span class=\"woocommerce-Price-currencySymbol\">&euro;</span>"
                    + price + "</bdi></span>";
        }

        // -------------------------------------------------------------------------------- products

        @SuppressWarnings("unchecked")
        Map<String, Object> buildProduct(Map<String, Object> spec) {
            long id = spec.containsKey("id") ? num(spec.get("id")) : nextPostId++;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", id);
            p.put("name", str(spec.get("name")));
            p.put("slug", spec.containsKey("slug") ? str(spec.get("slug")) : slugify(str(spec.get("name"))));
            p.put("permalink", "");
            Instant created = spec.containsKey("date_created_gmt") ? parseGmt(spec.get("date_created_gmt")) : now();
            Instant modified = spec.containsKey("date_modified_gmt") ? parseGmt(spec.get("date_modified_gmt")) : created;
            putDate(p, "date_created", created);
            putDate(p, "date_modified", modified);
            p.put("type", spec.getOrDefault("type", "simple"));
            p.put("status", spec.getOrDefault("status", "publish"));
            p.put("featured", Boolean.TRUE.equals(spec.get("featured")));
            p.put("catalog_visibility", "visible");
            p.put("description", str(spec.get("description")));
            p.put("short_description", str(spec.get("short_description")));
            p.put("sku", str(spec.get("sku")));
            p.put("price", "");
            p.put("regular_price", str(spec.get("regular_price")));
            p.put("sale_price", str(spec.get("sale_price")));
            p.put("date_on_sale_from", null);
            p.put("date_on_sale_from_gmt", null);
            p.put("date_on_sale_to", null);
            p.put("date_on_sale_to_gmt", null);
            p.put("price_html", "");
            p.put("on_sale", false);
            p.put("purchasable", false);
            p.put("total_sales", spec.containsKey("total_sales") ? num(spec.get("total_sales")) : 0L);
            p.put("virtual", false);
            p.put("downloadable", false);
            p.put("downloads", new java.util.ArrayList<>());
            p.put("download_limit", -1);
            p.put("download_expiry", -1);
            p.put("external_url", "");
            p.put("button_text", "");
            p.put("tax_status", "taxable");
            p.put("tax_class", "");
            p.put("manage_stock", Boolean.TRUE.equals(spec.get("manage_stock")));
            p.put("stock_quantity", spec.get("stock_quantity") == null ? null : num(spec.get("stock_quantity")));
            p.put("stock_status", spec.getOrDefault("stock_status", "instock"));
            p.put("backorders", spec.getOrDefault("backorders", "no"));
            p.put("backorders_allowed", false);
            p.put("backordered", false);
            p.put("low_stock_amount", null);
            p.put("sold_individually", false);
            p.put("weight", "");
            p.put("dimensions", dimensions());
            p.put("shipping_required", true);
            p.put("shipping_taxable", true);
            p.put("shipping_class", "");
            p.put("shipping_class_id", 0);
            p.put("reviews_allowed", true);
            p.put("average_rating", "0.00");
            p.put("rating_count", 0);
            p.put("related_ids", new java.util.ArrayList<>());
            p.put("upsell_ids", new java.util.ArrayList<>());
            p.put("cross_sell_ids", new java.util.ArrayList<>());
            p.put("parent_id", 0);
            p.put("purchase_note", "");
            List<Object> cats = new java.util.ArrayList<>();
            for (Object c : (List<Object>) spec.getOrDefault("categories", List.of())) {
                Map<String, Object> cat = categories.get(num(c));
                if (cat != null) {
                    Map<String, Object> ref = new LinkedHashMap<>();
                    ref.put("id", num(cat.get("id")));
                    ref.put("name", cat.get("name"));
                    ref.put("slug", cat.get("slug"));
                    cats.add(ref);
                }
            }
            p.put("categories", cats);
            p.put("tags", new java.util.ArrayList<>());
            p.put("images", new java.util.ArrayList<>());
            List<Object> attributes = new java.util.ArrayList<>();
            for (Object a : (List<Object>) spec.getOrDefault("attributes", List.of())) {
                Map<String, Object> spec2 = (Map<String, Object>) a;
                Map<String, Object> attr = new LinkedHashMap<>();
                attr.put("id", 0);
                attr.put("name", spec2.get("name"));
                attr.put("position", spec2.getOrDefault("position", 0L));
                attr.put("visible", spec2.getOrDefault("visible", true));
                attr.put("variation", spec2.getOrDefault("variation", false));
                attr.put("options", spec2.getOrDefault("options", List.of()));
                attributes.add(attr);
            }
            p.put("attributes", attributes);
            p.put("default_attributes", new java.util.ArrayList<>());
            java.util.TreeMap<Long, Map<String, Object>> vars = new java.util.TreeMap<>();
            int menuOrder = 0;
            for (Object v : (List<Object>) spec.getOrDefault("variations", List.of())) {
                Map<String, Object> variation = buildVariation(p, (Map<String, Object>) v, created, modified, ++menuOrder);
                vars.put(num(variation.get("id")), variation);
            }
            variations.put(id, vars);
            p.put("variations", new java.util.ArrayList<>(vars.keySet()));
            p.put("grouped_products", new java.util.ArrayList<>());
            p.put("menu_order", 0);
            p.put("meta_data", new java.util.ArrayList<>());
            refreshProduct(p);
            return p;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> buildVariation(Map<String, Object> parent, Map<String, Object> spec, Instant created,
                                           Instant modified, int menuOrder) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", num(spec.get("id")));
            putDate(v, "date_created", created);
            putDate(v, "date_modified", modified);
            v.put("description", "");
            v.put("permalink", "");
            v.put("sku", str(spec.get("sku")));
            v.put("price", "");
            v.put("regular_price", str(spec.get("regular_price")));
            v.put("sale_price", str(spec.get("sale_price")));
            v.put("date_on_sale_from", null);
            v.put("date_on_sale_from_gmt", null);
            v.put("date_on_sale_to", null);
            v.put("date_on_sale_to_gmt", null);
            v.put("on_sale", false);
            v.put("status", "publish");
            v.put("purchasable", false);
            v.put("virtual", false);
            v.put("downloadable", false);
            v.put("downloads", new java.util.ArrayList<>());
            v.put("download_limit", -1);
            v.put("download_expiry", -1);
            v.put("tax_status", "taxable");
            v.put("tax_class", "");
            v.put("manage_stock", Boolean.TRUE.equals(spec.get("manage_stock")));
            v.put("stock_quantity", spec.get("stock_quantity") == null ? null : num(spec.get("stock_quantity")));
            v.put("stock_status", spec.getOrDefault("stock_status", "instock"));
            v.put("backorders", spec.getOrDefault("backorders", "no"));
            v.put("backorders_allowed", false);
            v.put("backordered", false);
            v.put("low_stock_amount", null);
            v.put("weight", "");
            v.put("dimensions", dimensions());
            v.put("shipping_class", "");
            v.put("shipping_class_id", 0);
            v.put("image", null);
            List<Object> attrs = new java.util.ArrayList<>();
            for (Object a : (List<Object>) spec.getOrDefault("attributes", List.of())) {
                Map<String, Object> in = (Map<String, Object>) a;
                Map<String, Object> attr = new LinkedHashMap<>();
                attr.put("id", 0);
                attr.put("name", in.get("name"));
                attr.put("option", in.get("option"));
                attrs.add(attr);
            }
            v.put("attributes", attrs);
            v.put("menu_order", menuOrder);
            v.put("meta_data", new java.util.ArrayList<>());
            return v;
        }

        /** Recomputes derived fields (price, on_sale, stock flags, permalink) the way WooCommerce does. */
        @SuppressWarnings("unchecked")
        void refreshProduct(Map<String, Object> p) {
            long id = num(p.get("id"));
            String status = str(p.get("status"));
            String permalink = "publish".equals(status)
                    ? base + "/products/" + str(p.get("slug")) + "/"
                    : base + "/?post_type=product&p=" + id;
            p.put("permalink", permalink);
            var vars = variations.getOrDefault(id, new java.util.TreeMap<>());
            for (Map<String, Object> v : vars.values()) {
                refreshPriceAndStock(v);
                StringBuilder query = new StringBuilder();
                for (Object a : (List<Object>) v.get("attributes")) {
                    Map<String, Object> attr = (Map<String, Object>) a;
                    query.append(query.length() == 0 ? "?" : "&").append("attribute_").append(slugify(str(attr.get("name"))))
                            .append('=').append(java.net.URLEncoder.encode(str(attr.get("option")), StandardCharsets.UTF_8));
                }
                v.put("permalink", permalink + query);
            }
            if ("variable".equals(p.get("type"))) {
                java.math.BigDecimal min = null;
                boolean anyIn = false;
                boolean anyBackorder = false;
                for (Map<String, Object> v : vars.values()) {
                    String price = str(v.get("price"));
                    if (!price.isEmpty()) {
                        java.math.BigDecimal value = new java.math.BigDecimal(price);
                        min = min == null || value.compareTo(min) < 0 ? value : min;
                    }
                    anyIn |= "instock".equals(v.get("stock_status"));
                    anyBackorder |= "onbackorder".equals(v.get("stock_status"));
                }
                p.put("price", min == null ? "" : money(min));
                p.put("regular_price", "");
                p.put("sale_price", "");
                p.put("on_sale", false);
                p.put("purchasable", min != null);
                p.put("price_html", min == null ? "" : priceHtml(money(min)));
                if (!Boolean.TRUE.equals(p.get("manage_stock"))) {
                    p.put("stock_status", anyIn ? "instock" : anyBackorder ? "onbackorder" : "outofstock");
                }
                p.put("backorders_allowed", !"no".equals(p.get("backorders")));
                p.put("backordered", false);
                p.put("variations", new java.util.ArrayList<>(vars.keySet()));
            } else {
                refreshPriceAndStock(p);
                p.put("price_html", priceHtml(str(p.get("price"))));
            }
        }

        static void refreshPriceAndStock(Map<String, Object> item) {
            String regular = str(item.get("regular_price"));
            String sale = str(item.get("sale_price"));
            boolean onSale = !sale.isEmpty() && !regular.isEmpty()
                    && new java.math.BigDecimal(sale).compareTo(new java.math.BigDecimal(regular)) < 0;
            String price = onSale ? sale : regular;
            item.put("price", price);
            item.put("on_sale", onSale);
            item.put("purchasable", !price.isEmpty());
            String backorders = str(item.get("backorders"));
            if (Boolean.TRUE.equals(item.get("manage_stock"))) {
                Object qty = item.get("stock_quantity");
                long quantity = qty == null ? 0 : num(qty);
                if (qty == null) {
                    item.put("stock_quantity", 0L);
                }
                item.put("stock_status", quantity > 0 ? "instock" : "no".equals(backorders) ? "outofstock" : "onbackorder");
                item.put("backordered", quantity <= 0 && !"no".equals(backorders));
            } else {
                item.put("stock_quantity", null);
                item.put("backordered", false);
            }
            item.put("backorders_allowed", !"no".equals(backorders));
        }

        Map<String, Object> productWithLinks(Map<String, Object> p) {
            Map<String, Object> out = Json.copy(p);
            long id = num(p.get("id"));
            out.put("_links", links(base + "/wp-json/wc/v3/products/" + id, base + "/wp-json/wc/v3/products", null));
            return out;
        }

        Map<String, Object> variationWithLinks(long productId, Map<String, Object> v) {
            Map<String, Object> out = Json.copy(v);
            String collection = base + "/wp-json/wc/v3/products/" + productId + "/variations";
            out.put("_links", links(collection + "/" + num(v.get("id")), collection, base + "/wp-json/wc/v3/products/" + productId));
            return out;
        }

        static Map<String, Object> links(String self, String collection, String up) {
            Map<String, Object> links = new LinkedHashMap<>();
            links.put("self", List.of(Map.of("href", self)));
            links.put("collection", List.of(Map.of("href", collection)));
            if (up != null) {
                links.put("up", List.of(Map.of("href", up)));
            }
            return links;
        }

        boolean skuTaken(String sku, long exceptId) {
            if (sku.isEmpty()) {
                return false;
            }
            for (Map<String, Object> p : products.values()) {
                if (num(p.get("id")) != exceptId && sku.equals(p.get("sku")) && !"trash".equals(p.get("status"))) {
                    return true;
                }
            }
            for (var vs : variations.values()) {
                for (Map<String, Object> v : vs.values()) {
                    if (num(v.get("id")) != exceptId && sku.equals(v.get("sku"))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Validates and applies a product create/update body (WordPress validates every parameter first and answers
         * 400 rest_invalid_param listing all invalid ones). Returns the (mutable) product.
         */
        Map<String, Object> applyProduct(Map<String, Object> p, Map<String, Object> body) {
            Map<String, String> invalid = new LinkedHashMap<>();
            Map<String, Object> changes = new LinkedHashMap<>();
            for (String field : List.of("name", "slug", "description", "short_description", "sku", "regular_price", "sale_price")) {
                if (body.containsKey(field)) {
                    Object value = body.get(field);
                    if (value instanceof String) {
                        changes.put(field, value);
                    } else {
                        invalid.put(field, field + " is not of type string.");
                    }
                }
            }
            for (String field : List.of("regular_price", "sale_price")) {
                Object value = changes.get(field);
                if (value != null && !((String) value).isEmpty()) {
                    try {
                        java.math.BigDecimal amount = new java.math.BigDecimal(((String) value).trim());
                        changes.put(field, money(amount));
                    } catch (NumberFormatException e) {
                        changes.put(field, "");
                    }
                }
            }
            enumParam(body, "status", PRODUCT_STATUSES, invalid, changes);
            enumParam(body, "stock_status", STOCK_STATUSES, invalid, changes);
            enumParam(body, "backorders", BACKORDERS, invalid, changes);
            enumParam(body, "type", List.of("simple", "grouped", "external", "variable"), invalid, changes);
            for (String field : List.of("featured", "manage_stock")) {
                if (body.containsKey(field)) {
                    Boolean b = bool(body.get(field));
                    if (b == null) {
                        invalid.put(field, field + " is not of type boolean.");
                    } else {
                        changes.put(field, b);
                    }
                }
            }
            if (body.containsKey("stock_quantity")) {
                Object q = body.get("stock_quantity");
                Long n = integer(q);
                if (q != null && n == null) {
                    invalid.put("stock_quantity", "stock_quantity is not of type integer.");
                } else {
                    changes.put("stock_quantity", n);
                }
            }
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            long id = num(p.get("id"));
            if (changes.containsKey("sku") && skuTaken((String) changes.get("sku"), id)) {
                throw new ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.",
                        Map.of("resource_id", id, "unique_sku", changes.get("sku")));
            }
            if ("variable".equals(p.get("type"))) {
                changes.remove("regular_price");
                changes.remove("sale_price");
            }
            if (changes.containsKey("stock_quantity") && !changes.containsKey("manage_stock") && changes.get("stock_quantity") != null) {
                changes.put("manage_stock", true); // WooCommerce ignores stock_quantity unless stock is managed
                if (!Boolean.TRUE.equals(p.get("manage_stock"))) {
                    changes.put("manage_stock", p.get("manage_stock"));
                    changes.remove("stock_quantity");
                }
            }
            p.putAll(changes);
            refreshProduct(p);
            return p;
        }

        static void enumParam(Map<String, Object> body, String field, List<String> allowed, Map<String, String> invalid,
                              Map<String, Object> changes) {
            if (!body.containsKey(field)) {
                return;
            }
            Object value = body.get(field);
            if (value instanceof String s && allowed.contains(s)) {
                changes.put(field, s);
            } else {
                invalid.put(field, field + " is not one of " + oneOf(allowed) + ".");
            }
        }

        static String oneOf(List<String> allowed) {
            if (allowed.size() == 1) {
                return allowed.get(0);
            }
            return String.join(", ", allowed.subList(0, allowed.size() - 1)) + ", and " + allowed.get(allowed.size() - 1);
        }

        static Boolean bool(Object value) {
            if (value instanceof Boolean b) {
                return b;
            }
            String s = str(value).toLowerCase(Locale.ROOT);
            return switch (s) {
                case "true", "1" -> true;
                case "false", "0", "" -> value == null ? null : Boolean.FALSE;
                default -> null;
            };
        }

        static Long integer(Object value) {
            if (value instanceof Long l) {
                return l;
            }
            if (value instanceof java.math.BigDecimal d) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            if (value instanceof String s) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        // -------------------------------------------------------------------------------- orders

        @SuppressWarnings("unchecked")
        Map<String, Object> buildOrder(Map<String, Object> spec) {
            long id = num(spec.get("id"));
            Map<String, Object> billing = (Map<String, Object>) spec.get("billing");
            Map<String, Object> shipping = new LinkedHashMap<>(billing);
            shipping.remove("email");
            shipping.put("phone", "");
            List<Object> lineItems = new java.util.ArrayList<>();
            java.math.BigDecimal gross = java.math.BigDecimal.ZERO;
            java.math.BigDecimal cartTax = java.math.BigDecimal.ZERO;
            long lineId = id * 10;
            for (Object raw : (List<Object>) spec.get("items")) {
                List<Object> item = (List<Object>) raw;
                long productId = num(item.get(0));
                long variationId = num(item.get(1));
                long quantity = num(item.get(2));
                Map<String, Object> product = products.get(productId);
                Map<String, Object> variation = variationId == 0 ? null : variations.get(productId).get(variationId);
                Map<String, Object> priced = variation != null ? variation : product;
                java.math.BigDecimal unit = new java.math.BigDecimal(str(priced.get("price")));
                java.math.BigDecimal lineGross = unit.multiply(java.math.BigDecimal.valueOf(quantity));
                java.math.BigDecimal net = lineGross.divide(VAT, 2, java.math.RoundingMode.HALF_UP);
                java.math.BigDecimal tax = lineGross.subtract(net);
                gross = gross.add(lineGross);
                cartTax = cartTax.add(tax);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", ++lineId);
                List<Object> meta = new java.util.ArrayList<>();
                StringBuilder suffix = new StringBuilder();
                if (variation != null) {
                    for (Object a : (List<Object>) variation.get("attributes")) {
                        Map<String, Object> attr = (Map<String, Object>) a;
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", nextMetaId++);
                        m.put("key", slugify(str(attr.get("name"))));
                        m.put("value", attr.get("option"));
                        m.put("display_key", attr.get("name"));
                        m.put("display_value", attr.get("option"));
                        meta.add(m);
                        suffix.append(suffix.length() == 0 ? " - " : ", ").append(attr.get("option"));
                    }
                }
                line.put("name", str(product.get("name")) + suffix);
                line.put("product_id", productId);
                line.put("variation_id", variationId);
                line.put("quantity", quantity);
                line.put("tax_class", "");
                line.put("subtotal", money(net));
                line.put("subtotal_tax", money(tax));
                line.put("total", money(net));
                line.put("total_tax", money(tax));
                line.put("taxes", List.of(new LinkedHashMap<>(Map.of("id", 1, "total", money(tax), "subtotal", money(tax)))));
                line.put("meta_data", meta);
                line.put("sku", priced.get("sku"));
                line.put("price", net.divide(java.math.BigDecimal.valueOf(quantity), 4, java.math.RoundingMode.HALF_UP)
                        .stripTrailingZeros());
                line.put("image", new LinkedHashMap<>(Map.of("id", "", "src", "")));
                line.put("parent_name", variation != null ? product.get("name") : null);
                lineItems.add(line);
            }
            java.math.BigDecimal shippingGross = new java.math.BigDecimal(str(spec.getOrDefault("shipping_total", "0.00")));
            java.math.BigDecimal shippingNet = shippingGross.divide(VAT, 2, java.math.RoundingMode.HALF_UP);
            java.math.BigDecimal shippingTax = shippingGross.subtract(shippingNet);
            List<Object> method = (List<Object>) spec.getOrDefault("shipping_method", List.of("Flat rate", "flat_rate"));

            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("parent_id", 0);
            o.put("status", spec.get("status"));
            o.put("currency", store.getOrDefault("currency", "EUR"));
            o.put("version", store.getOrDefault("wc_version", "9.4.2"));
            o.put("prices_include_tax", true);
            putDate(o, "date_created", parseGmt(spec.get("date_created_gmt")));
            putDate(o, "date_modified", parseGmt(spec.get("date_modified_gmt")));
            o.put("discount_total", "0.00");
            o.put("discount_tax", "0.00");
            o.put("shipping_total", money(shippingNet));
            o.put("shipping_tax", money(shippingTax));
            o.put("cart_tax", money(cartTax));
            o.put("total", money(gross.add(shippingGross)));
            o.put("total_tax", money(cartTax.add(shippingTax)));
            o.put("customer_id", 0);
            o.put("order_key", "wc_order_" + HexFormat.of().formatHex(sha256("order-" + id), 0, 7).substring(0, 13));
            o.put("billing", billing);
            o.put("shipping", shipping);
            o.put("payment_method", spec.getOrDefault("payment_method", "ideal"));
            o.put("payment_method_title", spec.getOrDefault("payment_method_title", "iDEAL"));
            o.put("transaction_id", "");
            o.put("customer_ip_address", "");
            o.put("customer_user_agent", "");
            o.put("created_via", "checkout");
            o.put("customer_note", str(spec.get("customer_note")));
            putDate(o, "date_completed", parseGmt(spec.get("date_completed_gmt")));
            putDate(o, "date_paid", parseGmt(spec.get("date_paid_gmt")));
            o.put("cart_hash", "");
            o.put("number", str(spec.getOrDefault("number", String.valueOf(id))));
            List<Object> meta = new java.util.ArrayList<>();
            List<Object> tracking = (List<Object>) spec.getOrDefault("tracking", List.of());
            if (!tracking.isEmpty()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", nextMetaId++);
                m.put("key", "_wc_shipment_tracking_items");
                m.put("value", tracking);
                meta.add(m);
            }
            o.put("meta_data", meta);
            o.put("line_items", lineItems);
            Map<String, Object> taxLine = new LinkedHashMap<>();
            taxLine.put("id", id * 10 + 8);
            taxLine.put("rate_code", "NL-BTW-1");
            taxLine.put("rate_id", 1);
            taxLine.put("label", "BTW");
            taxLine.put("compound", false);
            taxLine.put("tax_total", money(cartTax));
            taxLine.put("shipping_tax_total", money(shippingTax));
            taxLine.put("rate_percent", 21);
            taxLine.put("meta_data", new java.util.ArrayList<>());
            o.put("tax_lines", List.of(taxLine));
            Map<String, Object> shipLine = new LinkedHashMap<>();
            shipLine.put("id", id * 10 + 9);
            shipLine.put("method_title", method.get(0));
            shipLine.put("method_id", method.get(1));
            shipLine.put("instance_id", "1");
            shipLine.put("total", money(shippingNet));
            shipLine.put("total_tax", money(shippingTax));
            shipLine.put("taxes", shippingTax.signum() == 0 ? List.of()
                    : List.of(new LinkedHashMap<>(Map.of("id", 1, "total", money(shippingTax), "subtotal", ""))));
            shipLine.put("meta_data", new java.util.ArrayList<>());
            o.put("shipping_lines", List.of(shipLine));
            o.put("fee_lines", new java.util.ArrayList<>());
            o.put("coupon_lines", new java.util.ArrayList<>());
            o.put("refunds", new java.util.ArrayList<>());
            o.put("payment_url", base + "/checkout/order-pay/" + id + "/?pay_for_order=true&key=" + o.get("order_key"));
            o.put("is_editable", List.of("pending", "on-hold", "auto-draft").contains(str(spec.get("status"))));
            o.put("needs_payment", List.of("pending", "failed").contains(str(spec.get("status"))));
            o.put("needs_processing", true);
            o.put("currency_symbol", store.getOrDefault("currency_symbol", "€"));
            return o;
        }

        static byte[] sha256(String text) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, Object> orderWithLinks(Map<String, Object> o) {
            Map<String, Object> out = Json.copy(o);
            out.put("_links", links(base + "/wp-json/wc/v3/orders/" + num(o.get("id")), base + "/wp-json/wc/v3/orders", null));
            return out;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> applyOrder(Map<String, Object> o, Map<String, Object> body) {
            Map<String, String> invalid = new LinkedHashMap<>();
            Map<String, Object> changes = new LinkedHashMap<>();
            enumParam(body, "status", ORDER_STATUSES, invalid, changes);
            if (body.containsKey("customer_note")) {
                if (body.get("customer_note") instanceof String) {
                    changes.put("customer_note", body.get("customer_note"));
                } else {
                    invalid.put("customer_note", "customer_note is not of type string.");
                }
            }
            if (body.containsKey("transaction_id")) {
                changes.put("transaction_id", str(body.get("transaction_id")));
            }
            List<Object> metaUpdates = null;
            if (body.containsKey("meta_data")) {
                if (body.get("meta_data") instanceof List<?> list) {
                    metaUpdates = (List<Object>) list;
                    for (Object m : metaUpdates) {
                        if (!(m instanceof Map<?, ?> mm) || !(mm.get("key") instanceof String)) {
                            invalid.put("meta_data", "meta_data[0][key] is not of type string.");
                        }
                    }
                } else {
                    invalid.put("meta_data", "meta_data is not of type array.");
                }
            }
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            Instant now = now();
            String newStatus = (String) changes.remove("status");
            o.putAll(changes);
            if (newStatus != null) {
                o.put("status", newStatus);
                if ("completed".equals(newStatus) && o.get("date_completed") == null) {
                    putDate(o, "date_completed", now);
                }
                if (List.of("processing", "completed").contains(newStatus) && o.get("date_paid") == null) {
                    putDate(o, "date_paid", now);
                }
                o.put("is_editable", List.of("pending", "on-hold", "auto-draft").contains(newStatus));
                o.put("needs_payment", List.of("pending", "failed").contains(newStatus));
            }
            if (metaUpdates != null) {
                List<Object> meta = (List<Object>) o.get("meta_data");
                for (Object m : metaUpdates) {
                    Map<String, Object> update = (Map<String, Object>) m;
                    Map<String, Object> existing = null;
                    for (Object e : meta) {
                        if (update.get("key").equals(((Map<String, Object>) e).get("key"))) {
                            existing = (Map<String, Object>) e;
                        }
                    }
                    if (existing != null) {
                        existing.put("value", update.get("value"));
                    } else {
                        Map<String, Object> fresh = new LinkedHashMap<>();
                        fresh.put("id", nextMetaId++);
                        fresh.put("key", update.get("key"));
                        fresh.put("value", update.get("value"));
                        meta.add(fresh);
                    }
                }
            }
            putDate(o, "date_modified", now);
            return o;
        }
    }

    /**
     * The WooCommerce REST API v3 on the wire: WordPress routes, errors, pagination headers, WooCommerce's OAuth 1.0a
     * one-legged authentication over plain HTTP (Basic auth only with --wc-allow-basic-over-http), and webhooks.
     */
    static final class WooCommerceApi implements HttpHandler {
        static final long OAUTH_WINDOW_SECONDS = 15 * 60;
        static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile(
                "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(Z|[+-]\\d{2}(:\\d{2})?)?$");
        static final java.util.regex.Pattern R_PRODUCTS = java.util.regex.Pattern.compile("/wc/v3/products");
        static final java.util.regex.Pattern R_PRODUCT = java.util.regex.Pattern.compile("/wc/v3/products/(\\d+)");
        static final java.util.regex.Pattern R_VARIATIONS = java.util.regex.Pattern.compile("/wc/v3/products/(\\d+)/variations");
        static final java.util.regex.Pattern R_VARIATION = java.util.regex.Pattern.compile("/wc/v3/products/(\\d+)/variations/(\\d+)");
        static final java.util.regex.Pattern R_ORDERS = java.util.regex.Pattern.compile("/wc/v3/orders");
        static final java.util.regex.Pattern R_ORDER = java.util.regex.Pattern.compile("/wc/v3/orders/(\\d+)");
        static final java.util.regex.Pattern R_WEBHOOKS = java.util.regex.Pattern.compile("/wc/v3/webhooks");
        static final java.util.regex.Pattern R_WEBHOOK = java.util.regex.Pattern.compile("/wc/v3/webhooks/(\\d+)");
        static final Set<String> EDIT = Set.of("POST", "PUT", "PATCH");

        private final WcOptions options;
        private final String base;
        private final HttpHandler site;
        private final WooData data;
        private final Webhooks webhooks;
        private final java.util.concurrent.atomic.AtomicLong requestCount = new java.util.concurrent.atomic.AtomicLong();
        private final Map<String, Long> usedNonces = new java.util.HashMap<>();

        WooCommerceApi(WcOptions options, String base, HttpHandler site) {
            this.options = options;
            this.base = base;
            this.site = site;
            WooData loaded;
            try {
                loaded = new WooData(options.catalog(), base);
            } catch (IOException | RuntimeException e) {
                System.err.println("demo-store: cannot load WooCommerce catalog " + options.catalog() + ": " + e);
                try {
                    loaded = new WooData(null, base);
                } catch (IOException impossible) {
                    throw new UncheckedIOException(impossible);
                }
            }
            this.data = loaded;
            this.webhooks = new Webhooks(data, base, options.webhookTimeout());
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/wp-json") && !path.startsWith("/wp-json/")) {
                site.handle(exchange);
                return;
            }
            Headers headers = exchange.getResponseHeaders();
            headers.set("X-Robots-Tag", "noindex");
            headers.set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link");
            headers.set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type");
            headers.set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private");
            String json;
            int status = 200;
            try {
                Object result = serve(exchange, path);
                if (result instanceof Created created) {
                    status = 201;
                    result = created.body();
                }
                json = Json.write(result);
            } catch (ApiError e) {
                status = e.status;
                json = e.toJson();
            } catch (RuntimeException e) {
                System.err.println("demo-store: API " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
                status = 500;
                json = new ApiError(500, "internal_server_error", "<p>There has been a critical error on this website.</p>").toJson();
            }
            Responses.sendJson(exchange, status, json);
        }

        record Created(Object body) {
        }

        private Object serve(HttpExchange exchange, String path) throws IOException {
            long n = requestCount.incrementAndGet();
            if (options.failEvery() > 0 && n % options.failEvery() == 0) {
                throw new ApiError(500, "internal_server_error", "<p>There has been a critical error on this website.</p>");
            }
            if (options.throttleEvery() > 0 && n % options.throttleEvery() == 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(options.retryAfter()));
                throw new ApiError(429, "rest_too_many_requests", "Too many requests. Please wait before retrying.");
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            List<String[]> queryPairs = parseForm(exchange.getRequestURI().getRawQuery());
            Map<String, String> query = lastWins(queryPairs);
            byte[] body = exchange.getRequestBody().readNBytes(1 << 20);
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("")
                    .toLowerCase(Locale.ROOT);
            Map<String, String> form = contentType.startsWith("application/x-www-form-urlencoded")
                    ? lastWins(parseForm(new String(body, StandardCharsets.UTF_8))) : Map.of();

            boolean authenticated = authenticate(exchange, method, query, form);

            String route = path.substring("/wp-json".length());
            while (route.endsWith("/")) {
                route = route.substring(0, route.length() - 1);
            }
            boolean get = method.equals("GET") || method.equals("HEAD");
            java.util.regex.Matcher m;
            if (route.isEmpty() && get) {
                return index();
            }
            if (route.equals("/wc/v3") && get) {
                return namespaceIndex();
            }
            if (R_PRODUCTS.matcher(route).matches()) {
                if (get) {
                    permit(authenticated, "list");
                    return listProducts(exchange, query, queryPairs, route);
                }
                if (method.equals("POST")) {
                    permit(authenticated, "create");
                    return new Created(createProduct(params(query, form, body, contentType)));
                }
            } else if ((m = R_PRODUCT.matcher(route)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (get) {
                    permit(authenticated, "view");
                    synchronized (data) {
                        return data.productWithLinks(product(id));
                    }
                }
                if (EDIT.contains(method)) {
                    permit(authenticated, "edit");
                    return updateProduct(id, params(query, form, body, contentType));
                }
                if (method.equals("DELETE")) {
                    permit(authenticated, "delete");
                    return deleteProduct(id, WooData.bool(query.getOrDefault("force", "false")) == Boolean.TRUE);
                }
            } else if ((m = R_VARIATIONS.matcher(route)).matches()) {
                if (get) {
                    permit(authenticated, "list");
                    return listVariations(exchange, Long.parseLong(m.group(1)), query, queryPairs, route);
                }
            } else if ((m = R_VARIATION.matcher(route)).matches()) {
                if (get) {
                    permit(authenticated, "view");
                    long productId = Long.parseLong(m.group(1));
                    long variationId = Long.parseLong(m.group(2));
                    synchronized (data) {
                        var vs = data.variations.get(productId);
                        Map<String, Object> v = vs == null ? null : vs.get(variationId);
                        if (v == null || !data.products.containsKey(productId)) {
                            throw new ApiError(404, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.");
                        }
                        return data.variationWithLinks(productId, v);
                    }
                }
            } else if (R_ORDERS.matcher(route).matches()) {
                if (get) {
                    permit(authenticated, "list");
                    return listOrders(exchange, query, queryPairs, route);
                }
            } else if ((m = R_ORDER.matcher(route)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (get) {
                    permit(authenticated, "view");
                    synchronized (data) {
                        return data.orderWithLinks(order(id));
                    }
                }
                if (EDIT.contains(method)) {
                    permit(authenticated, "edit");
                    return updateOrder(id, params(query, form, body, contentType));
                }
            } else if (R_WEBHOOKS.matcher(route).matches()) {
                if (get) {
                    permit(authenticated, "list");
                    List<Map<String, Object>> all;
                    synchronized (data) {
                        all = new java.util.ArrayList<>();
                        for (Map<String, Object> w : data.webhooks.descendingMap().values()) {
                            String status = query.getOrDefault("status", "all");
                            if (status.equals("all") || status.equals(w.get("status"))) {
                                all.add(webhooks.render(w));
                            }
                        }
                    }
                    return paginate(exchange, all, query, queryPairs, route);
                }
                if (method.equals("POST")) {
                    permit(authenticated, "create");
                    return new Created(webhooks.create(params(query, form, body, contentType)));
                }
            } else if ((m = R_WEBHOOK.matcher(route)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (get) {
                    permit(authenticated, "view");
                    synchronized (data) {
                        return webhooks.render(webhooks.get(id));
                    }
                }
                if (EDIT.contains(method)) {
                    permit(authenticated, "edit");
                    return webhooks.update(id, params(query, form, body, contentType));
                }
                if (method.equals("DELETE")) {
                    permit(authenticated, "delete");
                    return webhooks.delete(id, WooData.bool(query.getOrDefault("force", "false")) == Boolean.TRUE);
                }
            } else if (route.equals("/wc/v3/system_status")) {
                if (get) {
                    permit(authenticated, "list");
                    return systemStatus();
                }
            } else if (route.equals("/wc/v3/data/currencies/current")) {
                if (get) {
                    permit(authenticated, "view");
                    return currentCurrency();
                }
            }
            throw new ApiError(404, "rest_no_route", "No route was found matching the URL and request method.");
        }

        private static void permit(boolean authenticated, String action) {
            if (authenticated) {
                return;
            }
            switch (action) {
                case "list" -> throw new ApiError(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
                case "view" -> throw new ApiError(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
                case "create" -> throw new ApiError(401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.");
                case "edit" -> throw new ApiError(401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.");
                default -> throw new ApiError(401, "woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.");
            }
        }

        // ---------------------------------------------------------------------------- authentication

        /**
         * WooCommerce's WC_REST_Authentication: over plain HTTP only OAuth 1.0a one-legged (parameters in the query
         * string, a form body or an "Authorization: OAuth ..." header). Returns false when no credentials were sent at
         * all (the endpoint's permission check then answers 401), throws the WooCommerce error when they are wrong.
         */
        boolean authenticate(HttpExchange exchange, String method, Map<String, String> query, Map<String, String> form) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (options.allowBasic()) {
                String user = null;
                String pass = null;
                if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                    String decoded;
                    try {
                        decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        decoded = "";
                    }
                    int colon = decoded.indexOf(':');
                    user = colon < 0 ? decoded : decoded.substring(0, colon);
                    pass = colon < 0 ? "" : decoded.substring(colon + 1);
                } else if (query.containsKey("consumer_key") && query.containsKey("consumer_secret")) {
                    user = query.get("consumer_key");
                    pass = query.get("consumer_secret");
                }
                if (user != null) {
                    if (!constantTimeEquals(user, options.key())) {
                        throw new ApiError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
                    }
                    if (!constantTimeEquals(pass, options.secret())) {
                        throw new ApiError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
                    }
                    return true;
                }
            }
            Map<String, String> params = new LinkedHashMap<>(query);
            params.putAll(form);
            if (header != null && header.regionMatches(true, 0, "OAuth ", 0, 6)) {
                params.putAll(parseOAuthHeader(header.substring(6)));
            }
            List<String> required = List.of("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature",
                    "oauth_signature_method");
            List<String> missing = new java.util.ArrayList<>();
            for (String name : required) {
                String value = params.get(name);
                if (value == null || value.isEmpty() || value.equals("0")) {
                    missing.add(name);
                }
            }
            if (missing.size() == required.size()) {
                return false; // not even trying OAuth
            }
            if (!missing.isEmpty()) {
                throw new ApiError(401, "woocommerce_rest_authentication_missing_parameter",
                        (missing.size() == 1 ? "Missing OAuth parameter " : "Missing OAuth parameters ") + String.join(", ", missing));
            }
            if (!constantTimeEquals(params.get("oauth_consumer_key"), options.key())) {
                throw new ApiError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
            }
            String expected = oauthSignature(method, base + exchange.getRequestURI().getRawPath(), params, options.secret());
            if (expected == null) {
                throw new ApiError(401, "woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.");
            }
            String provided = rawUrlDecode(params.get("oauth_signature").replace(' ', '+'));
            if (!constantTimeEquals(expected, provided)) {
                throw new ApiError(401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.");
            }
            long timestamp;
            try {
                timestamp = Long.parseLong(params.get("oauth_timestamp").trim());
            } catch (NumberFormatException e) {
                timestamp = 0;
            }
            long now = Instant.now().getEpochSecond();
            if (timestamp < now - OAUTH_WINDOW_SECONDS || timestamp > now + OAUTH_WINDOW_SECONDS) {
                throw new ApiError(401, "woocommerce_rest_authentication_error", "Invalid timestamp.");
            }
            String nonce = params.get("oauth_nonce");
            synchronized (usedNonces) {
                usedNonces.values().removeIf(ts -> ts < now - OAUTH_WINDOW_SECONDS);
                if (usedNonces.containsKey(nonce)) {
                    throw new ApiError(401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.");
                }
                usedNonces.put(nonce, timestamp);
            }
            return true;
        }

        /**
         * The signature WooCommerce computes: base string = METHOD & rawurlencode(home URL + request path) & the sorted
         * (strcmp on the raw keys), RFC 3986-encoded "key=value" pairs joined by "&" and encoded once more; key =
         * consumer secret + "&"; HMAC-SHA1 or HMAC-SHA256, base64. All parameters except oauth_signature are signed
         * (query string, form body and OAuth header parameters); a JSON body is not.
         */
        static String oauthSignature(String method, String url, Map<String, String> params, String consumerSecret) {
            String algorithm = switch (params.getOrDefault("oauth_signature_method", "")) {
                case "HMAC-SHA1" -> "HmacSHA1";
                case "HMAC-SHA256" -> "HmacSHA256";
                default -> null;
            };
            if (algorithm == null) {
                return null;
            }
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>(WooCommerceApi::strcmp);
            params.forEach((k, v) -> {
                if (!k.equals("oauth_signature")) {
                    sorted.put(k, v);
                }
            });
            StringBuilder joined = new StringBuilder();
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                if (joined.length() > 0) {
                    joined.append("%26");
                }
                joined.append(rawUrlEncode(rawUrlEncode(e.getKey()) + "=" + rawUrlEncode(e.getValue())));
            }
            String baseString = method.toUpperCase(Locale.ROOT) + "&" + rawUrlEncode(url) + "&" + joined;
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
                mac.init(new javax.crypto.spec.SecretKeySpec((consumerSecret + "&").getBytes(StandardCharsets.UTF_8), algorithm));
                return java.util.Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** PHP strcmp: byte-wise comparison of the UTF-8 encodings. */
        static int strcmp(String a, String b) {
            return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }

        /** PHP rawurlencode (RFC 3986): everything except A-Z a-z 0-9 - _ . ~ is %XX-encoded. */
        static String rawUrlEncode(String s) {
            StringBuilder out = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                        || c == '.' || c == '~') {
                    out.append((char) c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
            return out.toString();
        }

        /** PHP rawurldecode: %XX only ("+" stays "+"). */
        static String rawUrlDecode(String s) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c == '%' && k + 2 < s.length()
                        && Character.digit(s.charAt(k + 1), 16) >= 0 && Character.digit(s.charAt(k + 2), 16) >= 0) {
                    out.write(Integer.parseInt(s.substring(k + 1, k + 3), 16));
                    k += 2;
                } else {
                    byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    out.write(bytes, 0, bytes.length);
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        /** PHP urldecode: like rawurldecode, but "+" becomes a space (how $_GET / $_POST are decoded). */
        static String formDecode(String s) {
            return rawUrlDecode(s.replace('+', ' '));
        }

        static List<String[]> parseForm(String raw) {
            List<String[]> pairs = new java.util.ArrayList<>();
            if (raw == null || raw.isEmpty()) {
                return pairs;
            }
            for (String part : raw.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = formDecode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : formDecode(part.substring(eq + 1));
                pairs.add(new String[] {key, value});
            }
            return pairs;
        }

        static Map<String, String> lastWins(List<String[]> pairs) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String[] pair : pairs) {
                map.put(pair[0], pair[1]);
            }
            return map;
        }

        /** WooCommerce's parse_header(): oauth_*="value" pairs, urldecoded. */
        static Map<String, String> parseOAuthHeader(String header) {
            Map<String, String> params = new LinkedHashMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(oauth_[a-z_-]*)=(?:\"([^\"]*)\"|([^,]*))").matcher(header);
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2) : m.group(3);
                params.put(m.group(1), formDecode(value.trim()));
            }
            return params;
        }

        static boolean constantTimeEquals(String a, String b) {
            if (a == null || b == null) {
                return false;
            }
            return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }

        // ---------------------------------------------------------------------------- request parameters

        /** WordPress request parameters: query string, then form body, then JSON body (later ones win). */
        @SuppressWarnings("unchecked")
        static Map<String, Object> params(Map<String, String> query, Map<String, String> form, byte[] body, String contentType) {
            Map<String, Object> params = new LinkedHashMap<>(query);
            params.putAll(form);
            String text = new String(body, StandardCharsets.UTF_8).trim();
            if (contentType.contains("json") || (contentType.isEmpty() && text.startsWith("{"))) {
                if (!text.isEmpty()) {
                    Object parsed;
                    try {
                        parsed = Json.parse(text);
                    } catch (IllegalArgumentException e) {
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("json_error_code", 4);
                        extra.put("json_error_message", "Syntax error");
                        throw new ApiError(400, "rest_invalid_json", "Invalid JSON body passed.", extra);
                    }
                    if (parsed instanceof Map<?, ?> map) {
                        params.putAll((Map<String, Object>) map);
                    }
                }
            }
            return params;
        }

        static Instant dateParam(Map<String, String> query, String name, boolean gmt, java.time.ZoneId zone,
                                 Map<String, String> invalid) {
            String raw = query.get(name);
            if (raw == null || raw.isEmpty()) {
                return null;
            }
            java.util.regex.Matcher m = ISO_DATE.matcher(raw.trim());
            if (!m.matches()) {
                invalid.put(name, "Invalid date.");
                return null;
            }
            try {
                if (m.group(8) != null) {
                    return java.time.OffsetDateTime.parse(raw.trim().replaceAll("([+-]\\d{2})$", "$1:00")).toInstant();
                }
                java.time.LocalDateTime local = java.time.LocalDateTime.parse(raw.trim());
                return gmt ? local.toInstant(ZoneOffset.UTC) : local.atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                invalid.put(name, "Invalid date.");
                return null;
            }
        }

        static int intParam(Map<String, String> query, String name, int fallback, int min, int max, Map<String, String> invalid) {
            String raw = query.get(name);
            if (raw == null || raw.isEmpty()) {
                return fallback;
            }
            int value;
            try {
                value = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                invalid.put(name, name + " is not of type integer.");
                return fallback;
            }
            if (value < min || value > max) {
                invalid.put(name, max == Integer.MAX_VALUE
                        ? name + " must be greater than or equal to " + min
                        : name + " must be between " + min + " (inclusive) and " + max + " (inclusive)");
            }
            return value;
        }

        static Set<Long> idList(String raw) {
            Set<Long> ids = new java.util.HashSet<>();
            if (raw != null) {
                for (String part : raw.split(",")) {
                    try {
                        ids.add(Long.parseLong(part.trim()));
                    } catch (NumberFormatException e) {
                        // ignored, like absint() would turn it into 0
                    }
                }
            }
            return ids;
        }

        /** Slices a collection and sets X-WP-Total, X-WP-TotalPages and Link (prev/next) like WC_REST_CRUD_Controller. */
        List<Map<String, Object>> paginate(HttpExchange exchange, List<Map<String, Object>> all, Map<String, String> query,
                                           List<String[]> queryPairs, String route) {
            Map<String, String> invalid = new LinkedHashMap<>();
            int perPage = intParam(query, "per_page", 10, 1, 100, invalid);
            int page = intParam(query, "page", 1, 1, Integer.MAX_VALUE, invalid);
            int offset = intParam(query, "offset", -1, 0, Integer.MAX_VALUE, invalid);
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            int total = all.size();
            int start = offset >= 0 ? offset : (page - 1) * perPage;
            List<Map<String, Object>> slice = start >= total ? List.of() : all.subList(start, Math.min(total, start + perPage));
            int maxPages = (int) Math.ceil(total / (double) perPage);
            Headers headers = exchange.getResponseHeaders();
            headers.set("X-WP-Total", Integer.toString(total));
            headers.set("X-WP-TotalPages", Integer.toString(maxPages));
            List<String> links = new java.util.ArrayList<>();
            if (page > 1) {
                int prev = Math.min(page - 1, Math.max(maxPages, 1));
                links.add("<" + pageUrl(route, queryPairs, prev) + ">; rel=\"prev\"");
            }
            if (maxPages > page) {
                links.add("<" + pageUrl(route, queryPairs, page + 1) + ">; rel=\"next\"");
            }
            if (!links.isEmpty()) {
                headers.set("Link", String.join(", ", links));
            }
            return new java.util.ArrayList<>(slice);
        }

        /** The collection URL with the request's query (credentials left out) and the page number. */
        private String pageUrl(String route, List<String[]> queryPairs, int page) {
            StringBuilder url = new StringBuilder(base).append("/wp-json").append(route);
            boolean pageSet = false;
            char sep = '?';
            for (String[] pair : queryPairs) {
                if (pair[0].startsWith("oauth_") || pair[0].equals("consumer_key") || pair[0].equals("consumer_secret")) {
                    continue;
                }
                String value = pair[1];
                if (pair[0].equals("page")) {
                    if (pageSet) {
                        continue;
                    }
                    value = Integer.toString(page);
                    pageSet = true;
                }
                url.append(sep).append(java.net.URLEncoder.encode(pair[0], StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
                sep = '&';
            }
            if (!pageSet) {
                url.append(sep).append("page=").append(page);
            }
            return url.toString();
        }

        static Comparator<Map<String, Object>> order(String orderby, boolean asc) {
            Comparator<Map<String, Object>> byId = Comparator.comparingLong(m -> WooData.num(m.get("id")));
            Comparator<Map<String, Object>> c = switch (orderby) {
                case "id", "include" -> byId;
                case "title" -> Comparator.comparing(m -> WooData.str(m.get("name")).toLowerCase(Locale.ROOT));
                case "slug" -> Comparator.comparing(m -> WooData.str(m.get("slug")));
                case "modified" -> Comparator.comparing(m -> WooData.str(m.get("date_modified_gmt")));
                case "price" -> Comparator.comparing(m -> {
                    String p = WooData.str(m.get("price"));
                    return p.isEmpty() ? java.math.BigDecimal.ZERO : new java.math.BigDecimal(p);
                });
                case "popularity" -> Comparator.comparingLong(m -> WooData.num(m.getOrDefault("total_sales", 0L)));
                case "menu_order" -> Comparator.comparingLong(m -> WooData.num(m.getOrDefault("menu_order", 0L)));
                default -> Comparator.comparing(m -> WooData.str(m.get("date_created_gmt")));
            };
            c = c.thenComparing(byId);
            return asc ? c : c.reversed();
        }

        static String choice(Map<String, String> query, String name, String fallback, List<String> allowed, Map<String, String> invalid) {
            String value = query.getOrDefault(name, fallback);
            if (!allowed.contains(value)) {
                invalid.put(name, name + " is not one of " + WooData.oneOf(allowed) + ".");
            }
            return value;
        }

        static boolean dateIn(Instant when, Instant after, Instant before) {
            return (after == null || (when != null && when.isAfter(after))) && (before == null || (when != null && when.isBefore(before)));
        }

        // ---------------------------------------------------------------------------- products

        private Map<String, Object> product(long id) {
            Map<String, Object> p = data.products.get(id);
            if (p == null) {
                throw new ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
            }
            return p;
        }

        private List<Map<String, Object>> listProducts(HttpExchange exchange, Map<String, String> query, List<String[]> pairs, String route) {
            Map<String, String> invalid = new LinkedHashMap<>();
            String status = choice(query, "status", "any", List.of("any", "future", "trash", "draft", "pending", "private", "publish"), invalid);
            String orderby = choice(query, "orderby", "date", List.of("date", "modified", "id", "include", "title", "slug", "price",
                    "popularity", "rating", "menu_order"), invalid);
            String order = choice(query, "order", "desc", List.of("asc", "desc"), invalid);
            if (query.containsKey("stock_status")) {
                choice(query, "stock_status", "", WooData.STOCK_STATUSES, invalid);
            }
            if (query.containsKey("type")) {
                choice(query, "type", "", List.of("simple", "grouped", "external", "variable"), invalid);
            }
            boolean gmt = WooData.bool(query.getOrDefault("dates_are_gmt", "false")) == Boolean.TRUE;
            Instant modifiedAfter = dateParam(query, "modified_after", gmt, data.zone, invalid);
            Instant modifiedBefore = dateParam(query, "modified_before", gmt, data.zone, invalid);
            Instant after = dateParam(query, "after", gmt, data.zone, invalid);
            Instant before = dateParam(query, "before", gmt, data.zone, invalid);
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            Set<String> skus = new java.util.HashSet<>();
            if (query.containsKey("sku") && !query.get("sku").isEmpty()) {
                for (String s : query.get("sku").split(",")) {
                    skus.add(s.trim());
                }
            }
            String search = query.getOrDefault("search", "").toLowerCase(Locale.ROOT);
            Set<Long> include = idList(query.get("include"));
            Set<Long> exclude = idList(query.get("exclude"));
            List<Map<String, Object>> all = new java.util.ArrayList<>();
            synchronized (data) {
                for (Map<String, Object> p : data.products.values()) {
                    String s = WooData.str(p.get("status"));
                    if (status.equals("any") ? s.equals("trash") : !s.equals(status)) {
                        continue;
                    }
                    if (!skus.isEmpty() && !skus.contains(WooData.str(p.get("sku")))) {
                        continue;
                    }
                    if (!search.isEmpty() && !(WooData.str(p.get("name")) + " " + p.get("short_description") + " " + p.get("description"))
                            .toLowerCase(Locale.ROOT).contains(search)) {
                        continue;
                    }
                    if (query.containsKey("slug") && !query.get("slug").equals(p.get("slug"))) {
                        continue;
                    }
                    if (query.containsKey("stock_status") && !query.get("stock_status").equals(p.get("stock_status"))) {
                        continue;
                    }
                    if (query.containsKey("type") && !query.get("type").equals(p.get("type"))) {
                        continue;
                    }
                    if (query.containsKey("featured") && WooData.bool(query.get("featured")) != p.get("featured")) {
                        continue;
                    }
                    if (query.containsKey("on_sale") && WooData.bool(query.get("on_sale")) != p.get("on_sale")) {
                        continue;
                    }
                    if (query.containsKey("category") && p.get("categories") instanceof List<?> cats
                            && cats.stream().noneMatch(c -> String.valueOf(((Map<?, ?>) c).get("id")).equals(query.get("category")))) {
                        continue;
                    }
                    long id = WooData.num(p.get("id"));
                    if ((!include.isEmpty() && !include.contains(id)) || exclude.contains(id)) {
                        continue;
                    }
                    if (!dateIn(WooData.gmtOf(p, "date_modified"), modifiedAfter, modifiedBefore)
                            || !dateIn(WooData.gmtOf(p, "date_created"), after, before)) {
                        continue;
                    }
                    all.add(p);
                }
                all.sort(order(orderby, order.equals("asc")));
                List<Map<String, Object>> page = paginate(exchange, all, query, pairs, route);
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                for (Map<String, Object> p : page) {
                    out.add(data.productWithLinks(p));
                }
                return out;
            }
        }

        private List<Map<String, Object>> listVariations(HttpExchange exchange, long productId, Map<String, String> query,
                                                         List<String[]> pairs, String route) {
            Map<String, String> invalid = new LinkedHashMap<>();
            String orderby = choice(query, "orderby", "menu_order", List.of("date", "modified", "id", "include", "title", "slug",
                    "menu_order"), invalid);
            String order = choice(query, "order", query.containsKey("orderby") ? "desc" : "asc", List.of("asc", "desc"), invalid);
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            synchronized (data) {
                if (!data.products.containsKey(productId)) {
                    throw new ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
                }
                List<Map<String, Object>> all = new java.util.ArrayList<>(data.variations.getOrDefault(productId, new java.util.TreeMap<>()).values());
                if (query.containsKey("sku")) {
                    all.removeIf(v -> !query.get("sku").equals(v.get("sku")));
                }
                if (query.containsKey("stock_status")) {
                    all.removeIf(v -> !query.get("stock_status").equals(v.get("stock_status")));
                }
                all.sort(order(orderby, order.equals("asc")));
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                for (Map<String, Object> v : paginate(exchange, all, query, pairs, route)) {
                    out.add(data.variationWithLinks(productId, v));
                }
                return out;
            }
        }

        private Map<String, Object> createProduct(Map<String, Object> body) {
            if (body.containsKey("id")) {
                throw new ApiError(400, "woocommerce_rest_product_exists", "Cannot create existing product.");
            }
            Map<String, Object> rendered;
            synchronized (data) {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("name", body.get("name") instanceof String s ? s : "Product");
                spec.put("status", "publish");
                Map<String, Object> p = data.buildProduct(spec);
                data.products.put(WooData.num(p.get("id")), p); // reserved first so the SKU check sees it
                try {
                    Map<String, Object> changes = new LinkedHashMap<>(body);
                    changes.remove("name");
                    data.applyProduct(p, changes);
                    if (!body.containsKey("slug")) {
                        p.put("slug", WooData.slugify(WooData.str(p.get("name"))));
                        data.refreshProduct(p);
                    }
                } catch (RuntimeException e) {
                    data.products.remove(WooData.num(p.get("id")));
                    throw e;
                }
                rendered = data.productWithLinks(p);
            }
            webhooks.fire("product.created", rendered);
            return rendered;
        }

        private Map<String, Object> updateProduct(long id, Map<String, Object> body) {
            Map<String, Object> rendered;
            synchronized (data) {
                Map<String, Object> p = product(id);
                data.applyProduct(p, body);
                data.putDate(p, "date_modified", WooData.now());
                rendered = data.productWithLinks(p);
            }
            webhooks.fire("product.updated", rendered);
            return rendered;
        }

        private Map<String, Object> deleteProduct(long id, boolean force) {
            Map<String, Object> rendered;
            boolean alreadyTrashed;
            synchronized (data) {
                Map<String, Object> p = product(id);
                alreadyTrashed = "trash".equals(p.get("status"));
                if (force) {
                    rendered = data.productWithLinks(p);
                    data.products.remove(id);
                    data.variations.remove(id);
                } else {
                    if ("trash".equals(p.get("status"))) {
                        throw new ApiError(410, "woocommerce_rest_already_trashed", "The product has already been deleted.");
                    }
                    p.put("status", "trash");
                    data.putDate(p, "date_modified", WooData.now());
                    data.refreshProduct(p);
                    rendered = data.productWithLinks(p);
                }
            }
            if (!alreadyTrashed) { // trashing fires product.deleted; deleting a trashed product for good does not again
                webhooks.fire("product.deleted", new LinkedHashMap<>(Map.of("id", id)));
            }
            return rendered;
        }

        // ---------------------------------------------------------------------------- orders

        private Map<String, Object> order(long id) {
            Map<String, Object> o = data.orders.get(id);
            if (o == null) {
                throw new ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
            }
            return o;
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> listOrders(HttpExchange exchange, Map<String, String> query, List<String[]> pairs, String route) {
            Map<String, String> invalid = new LinkedHashMap<>();
            List<String> statusOptions = new java.util.ArrayList<>(List.of("any", "trash"));
            statusOptions.addAll(WooData.ORDER_STATUSES);
            Set<String> statuses = new java.util.HashSet<>();
            for (String s : query.getOrDefault("status", "any").split(",")) {
                if (!statusOptions.contains(s.trim())) {
                    invalid.put("status", "status[0] is not one of " + WooData.oneOf(statusOptions) + ".");
                }
                statuses.add(s.trim());
            }
            String orderby = choice(query, "orderby", "date", List.of("date", "modified", "id", "include", "title", "slug"), invalid);
            String order = choice(query, "order", "desc", List.of("asc", "desc"), invalid);
            boolean gmt = WooData.bool(query.getOrDefault("dates_are_gmt", "false")) == Boolean.TRUE;
            Instant modifiedAfter = dateParam(query, "modified_after", gmt, data.zone, invalid);
            Instant modifiedBefore = dateParam(query, "modified_before", gmt, data.zone, invalid);
            Instant after = dateParam(query, "after", gmt, data.zone, invalid);
            Instant before = dateParam(query, "before", gmt, data.zone, invalid);
            if (!invalid.isEmpty()) {
                throw ApiError.invalidParams(invalid);
            }
            String search = query.getOrDefault("search", "").toLowerCase(Locale.ROOT);
            Set<Long> include = idList(query.get("include"));
            Set<Long> exclude = idList(query.get("exclude"));
            synchronized (data) {
                List<Map<String, Object>> all = new java.util.ArrayList<>();
                for (Map<String, Object> o : data.orders.values()) {
                    String s = WooData.str(o.get("status"));
                    if (statuses.contains("any") ? s.equals("trash") : !statuses.contains(s)) {
                        continue;
                    }
                    Map<String, Object> billing = (Map<String, Object>) o.get("billing");
                    if (!search.isEmpty()) {
                        String haystack = (o.get("number") + " " + billing.get("email") + " " + billing.get("first_name") + " "
                                + billing.get("last_name") + " " + billing.get("company")).toLowerCase(Locale.ROOT);
                        if (!haystack.contains(search)) {
                            continue;
                        }
                    }
                    if (query.containsKey("customer") && !query.get("customer").equals(String.valueOf(o.get("customer_id")))) {
                        continue;
                    }
                    if (query.containsKey("product") && ((List<Object>) o.get("line_items")).stream()
                            .noneMatch(li -> String.valueOf(((Map<?, ?>) li).get("product_id")).equals(query.get("product")))) {
                        continue;
                    }
                    long id = WooData.num(o.get("id"));
                    if ((!include.isEmpty() && !include.contains(id)) || exclude.contains(id)) {
                        continue;
                    }
                    if (!dateIn(WooData.gmtOf(o, "date_modified"), modifiedAfter, modifiedBefore)
                            || !dateIn(WooData.gmtOf(o, "date_created"), after, before)) {
                        continue;
                    }
                    all.add(o);
                }
                all.sort(order(orderby.equals("title") || orderby.equals("slug") ? "date" : orderby, order.equals("asc")));
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                for (Map<String, Object> o : paginate(exchange, all, query, pairs, route)) {
                    out.add(data.orderWithLinks(o));
                }
                return out;
            }
        }

        private Map<String, Object> updateOrder(long id, Map<String, Object> body) {
            Map<String, Object> rendered;
            synchronized (data) {
                Map<String, Object> o = order(id);
                data.applyOrder(o, body);
                rendered = data.orderWithLinks(o);
            }
            webhooks.fire("order.updated", rendered);
            return rendered;
        }

        // ---------------------------------------------------------------------------- index and system status

        private Map<String, Object> index() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", data.store.getOrDefault("name", "Cedar & Spoke Cycles"));
            out.put("description", "");
            out.put("url", base);
            out.put("home", base);
            out.put("gmt_offset", data.zone.getRules().getOffset(Instant.now()).getTotalSeconds() / 3600);
            out.put("timezone_string", data.zone.getId());
            out.put("namespaces", List.of("wc/v3"));
            out.put("authentication", new LinkedHashMap<>());
            out.put("routes", routesMap());
            return out;
        }

        private Map<String, Object> namespaceIndex() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("namespace", "wc/v3");
            out.put("routes", routesMap());
            return out;
        }

        private static Map<String, Object> routesMap() {
            Map<String, Object> routes = new LinkedHashMap<>();
            routes.put("/wc/v3/products", Map.of("methods", List.of("GET", "POST")));
            routes.put("/wc/v3/products/(?P<id>[\\d]+)", Map.of("methods", List.of("GET", "POST", "PUT", "PATCH", "DELETE")));
            routes.put("/wc/v3/products/(?P<product_id>[\\d]+)/variations", Map.of("methods", List.of("GET")));
            routes.put("/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)", Map.of("methods", List.of("GET")));
            routes.put("/wc/v3/orders", Map.of("methods", List.of("GET")));
            routes.put("/wc/v3/orders/(?P<id>[\\d]+)", Map.of("methods", List.of("GET", "POST", "PUT", "PATCH")));
            routes.put("/wc/v3/webhooks", Map.of("methods", List.of("GET", "POST")));
            routes.put("/wc/v3/webhooks/(?P<id>[\\d]+)", Map.of("methods", List.of("GET", "POST", "PUT", "PATCH", "DELETE")));
            routes.put("/wc/v3/system_status", Map.of("methods", List.of("GET")));
            routes.put("/wc/v3/data/currencies/current", Map.of("methods", List.of("GET")));
            return routes;
        }

        /** {@code GET data/currencies/current} as WooCommerce answers it: the store's currency. */
        private Map<String, Object> currentCurrency() {
            String code = WooData.str(data.store.getOrDefault("currency", "EUR"));
            Map<String, Object> currency = new LinkedHashMap<>();
            currency.put("code", code);
            currency.put("name", "EUR".equals(code) ? "Euro" : code);
            currency.put("symbol", "EUR".equals(code) ? "&euro;" : code);
            currency.put("_links", Map.of(
                    "self", List.of(Map.of("href", base + "/wp-json/wc/v3/data/currencies/" + code)),
                    "collection", List.of(Map.of("href", base + "/wp-json/wc/v3/data/currencies"))));
            return currency;
        }

        private Map<String, Object> systemStatus() {
            String wc = WooData.str(data.store.getOrDefault("wc_version", "9.4.2"));
            String wp = WooData.str(data.store.getOrDefault("wp_version", "6.7.1"));
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("home_url", base);
            env.put("site_url", base);
            env.put("store_id", "0c5d7e1a-demo-cedar-spoke");
            env.put("version", wc);
            env.put("log_directory", "/var/www/html/wp-content/uploads/wc-logs/");
            env.put("log_directory_writable", true);
            env.put("wp_version", wp);
            env.put("wp_multisite", false);
            env.put("wp_memory_limit", 268435456);
            env.put("wp_debug_mode", false);
            env.put("wp_cron", true);
            env.put("language", "en_US");
            env.put("external_object_cache", null);
            env.put("server_info", "DemoStore (JDK " + Runtime.version().feature() + ")");
            env.put("php_version", "8.2.0");
            env.put("default_timezone", "UTC");
            env.put("remote_post_successful", true);
            env.put("remote_get_successful", true);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("api_enabled", true);
            settings.put("force_ssl", false);
            settings.put("currency", data.store.getOrDefault("currency", "EUR"));
            settings.put("currency_symbol", "&euro;");
            settings.put("currency_position", "left");
            settings.put("thousand_separator", ",");
            settings.put("decimal_separator", ".");
            settings.put("number_of_decimals", 2);
            settings.put("geolocation_enabled", false);
            settings.put("taxonomies", Map.of("external", "external", "grouped", "grouped", "simple", "simple", "variable", "variable"));
            settings.put("product_visibility_terms", Map.of("exclude-from-catalog", "exclude-from-catalog",
                    "exclude-from-search", "exclude-from-search", "featured", "featured", "outofstock", "outofstock"));
            settings.put("woocommerce_com_connected", "no");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("environment", env);
            out.put("database", Map.of("wc_database_version", wc, "database_prefix", "wp_"));
            out.put("active_plugins", List.of(
                    plugin("woocommerce/woocommerce.php", "WooCommerce", wc, "https://woocommerce.com/"),
                    plugin("woocommerce-shipment-tracking/woocommerce-shipment-tracking.php", "WooCommerce Shipment Tracking",
                            "2.6.0", "https://woocommerce.com/products/shipment-tracking/")));
            out.put("inactive_plugins", List.of());
            out.put("theme", Map.of("name", "Storefront", "version", "4.6.0", "is_child_theme", false, "has_woocommerce_support", true));
            out.put("settings", settings);
            out.put("security", Map.of("secure_connection", base.startsWith("https:"), "hide_errors", true));
            out.put("pages", List.of());
            return out;
        }

        private static Map<String, Object> plugin(String file, String name, String version, String url) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("plugin", file);
            p.put("name", name);
            p.put("version", version);
            p.put("version_latest", version);
            p.put("url", url);
            p.put("author_name", "WooCommerce");
            p.put("author_url", "https://woocommerce.com");
            p.put("network_activated", false);
            return p;
        }
    }

    /** WooCommerce webhooks: stored in memory, delivered asynchronously with WooCommerce's headers and signature. */
    static final class Webhooks {
        static final List<String> RESOURCES = List.of("coupon", "customer", "order", "product");
        static final List<String> EVENTS = List.of("created", "updated", "deleted", "restored");
        static final int MAX_FAILURES = 5;

        private final WooData data;
        private final String base;
        private final int timeoutSeconds;
        private final Map<Long, String> secrets = new ConcurrentHashMap<>();
        private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
        private final ExecutorService sender = Executors.newFixedThreadPool(2, daemonThreads("demo-store-webhook"));
        private final java.net.http.HttpClient client;

        Webhooks(WooData data, String base, int timeoutSeconds) {
            this.data = data;
            this.base = base;
            this.timeoutSeconds = timeoutSeconds;
            this.client = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .executor(sender)
                    .build();
        }

        String userAgent() {
            return "WooCommerce/" + WooData.str(data.store.getOrDefault("wc_version", "9.4.2")) + " Hookshot (WordPress/"
                    + WooData.str(data.store.getOrDefault("wp_version", "6.7.1")) + ")";
        }

        static List<String> hooksFor(String topic) {
            return switch (topic) {
                case "product.created" -> List.of("woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation");
                case "product.updated" -> List.of("woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation");
                case "product.deleted", "order.deleted", "coupon.deleted" -> List.of("wp_trash_post");
                case "product.restored", "order.restored", "coupon.restored" -> List.of("untrashed_post");
                case "order.created" -> List.of("woocommerce_new_order");
                case "order.updated" -> List.of("woocommerce_process_shop_order_meta", "woocommerce_api_edit_order",
                        "woocommerce_order_edit_status", "woocommerce_order_status_changed");
                case "customer.created" -> List.of("user_register", "woocommerce_created_customer", "woocommerce_new_customer");
                case "customer.updated" -> List.of("profile_update", "woocommerce_update_customer");
                case "customer.deleted" -> List.of("delete_user");
                case "coupon.created" -> List.of("woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon");
                case "coupon.updated" -> List.of("woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon");
                default -> topic.startsWith("action.") ? List.of(topic.substring(7)) : List.of();
            };
        }

        static boolean validTopic(String topic) {
            if (topic.startsWith("action.") && topic.length() > 7) {
                return true;
            }
            int dot = topic.indexOf('.');
            return dot > 0 && RESOURCES.contains(topic.substring(0, dot)) && EVENTS.contains(topic.substring(dot + 1));
        }

        Map<String, Object> get(long id) {
            Map<String, Object> w = data.webhooks.get(id);
            if (w == null) {
                throw new ApiError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
            }
            return w;
        }

        Map<String, Object> render(Map<String, Object> w) {
            Map<String, Object> out = Json.copy(w);
            long id = WooData.num(w.get("id"));
            out.put("_links", WooData.links(base + "/wp-json/wc/v3/webhooks/" + id, base + "/wp-json/wc/v3/webhooks", null));
            return out;
        }

        Map<String, Object> create(Map<String, Object> body) {
            String topic = WooData.str(body.get("topic")).toLowerCase(Locale.ROOT);
            if (topic.isEmpty() || !validTopic(topic)) {
                throw new ApiError(400, "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.");
            }
            String url = WooData.str(body.get("delivery_url"));
            if (!validUrl(url)) {
                throw new ApiError(400, "woocommerce_rest_webhook_invalid_delivery_url",
                        "Webhook delivery URL must be a valid URL starting with http:// or https://.");
            }
            String status = body.containsKey("status") ? WooData.str(body.get("status")) : "active";
            if (!List.of("active", "paused", "disabled").contains(status)) {
                throw ApiError.invalidParams(Map.of("status", "status is not one of active, paused, and disabled."));
            }
            Map<String, Object> rendered;
            long id;
            synchronized (data) {
                id = data.nextWebhookId++;
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("id", id);
                w.put("name", body.containsKey("name") ? WooData.str(body.get("name"))
                        : "Webhook created on " + DateTimeFormatter.ofPattern("MMMM d, yyyy @ h:mm a", Locale.ENGLISH)
                        .format(java.time.ZonedDateTime.now(data.zone)));
                w.put("status", status);
                w.put("topic", topic);
                w.put("resource", topic.startsWith("action.") ? "action" : topic.substring(0, topic.indexOf('.')));
                w.put("event", topic.startsWith("action.") ? topic.substring(7) : topic.substring(topic.indexOf('.') + 1));
                w.put("hooks", hooksFor(topic));
                w.put("delivery_url", url);
                Instant now = WooData.now();
                data.putDate(w, "date_created", now);
                data.putDate(w, "date_modified", now);
                data.webhooks.put(id, w);
                String secret = body.get("secret") instanceof String s && !s.isEmpty() ? s
                        : HexFormat.of().formatHex(WooData.sha256("webhook-" + id + "-" + System.nanoTime()), 0, 16);
                secrets.put(id, secret);
                rendered = render(w);
            }
            if ("active".equals(status)) {
                ping(id, url);
            }
            return rendered;
        }

        Map<String, Object> update(long id, Map<String, Object> body) {
            synchronized (data) {
                Map<String, Object> w = get(id);
                if (body.containsKey("topic")) {
                    String topic = WooData.str(body.get("topic")).toLowerCase(Locale.ROOT);
                    if (!validTopic(topic)) {
                        throw new ApiError(400, "woocommerce_rest_webhook_invalid_topic", "Webhook topic must be valid.");
                    }
                    w.put("topic", topic);
                    w.put("resource", topic.startsWith("action.") ? "action" : topic.substring(0, topic.indexOf('.')));
                    w.put("event", topic.startsWith("action.") ? topic.substring(7) : topic.substring(topic.indexOf('.') + 1));
                    w.put("hooks", hooksFor(topic));
                }
                if (body.containsKey("delivery_url")) {
                    String url = WooData.str(body.get("delivery_url"));
                    if (!validUrl(url)) {
                        throw new ApiError(400, "woocommerce_rest_webhook_invalid_delivery_url",
                                "Webhook delivery URL must be a valid URL starting with http:// or https://.");
                    }
                    w.put("delivery_url", url);
                }
                if (body.containsKey("status")) {
                    String status = WooData.str(body.get("status"));
                    if (!List.of("active", "paused", "disabled").contains(status)) {
                        throw ApiError.invalidParams(Map.of("status", "status is not one of active, paused, and disabled."));
                    }
                    w.put("status", status);
                    if ("active".equals(status)) {
                        failures.remove(id);
                    }
                }
                if (body.containsKey("name")) {
                    w.put("name", WooData.str(body.get("name")));
                }
                if (body.get("secret") instanceof String s && !s.isEmpty()) {
                    secrets.put(id, s);
                }
                data.putDate(w, "date_modified", WooData.now());
                return render(w);
            }
        }

        Map<String, Object> delete(long id, boolean force) {
            synchronized (data) {
                Map<String, Object> w = get(id);
                if (!force) {
                    throw new ApiError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.");
                }
                Map<String, Object> rendered = render(w);
                data.webhooks.remove(id);
                secrets.remove(id);
                failures.remove(id);
                return rendered;
            }
        }

        static boolean validUrl(String url) {
            try {
                java.net.URI uri = new java.net.URI(url);
                return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        static String rootCause(Throwable error) {
            Throwable t = error;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }

        /** WC_Webhook::deliver_ping(): a form POST "webhook_id=ID", no X-WC-Webhook headers. */
        private void ping(long id, String url) {
            byte[] body = ("webhook_id=" + id).getBytes(StandardCharsets.UTF_8);
            java.net.http.HttpRequest request;
            try {
                request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .timeout(java.time.Duration.ofSeconds(timeoutSeconds))
                        .header("User-Agent", userAgent())
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
            } catch (IllegalArgumentException e) {
                System.err.println("demo-store: webhook " + id + " ping to " + url + " failed: " + e.getMessage());
                return;
            }
            client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
                    System.err.println("demo-store: webhook " + id + " ping -> " + url + ": "
                            + (error != null ? "failed: " + rootCause(error) : "HTTP " + response.statusCode())));
        }

        /** Delivers the payload to every active webhook with this topic (asynchronously). */
        void fire(String topic, Object payload) {
            List<Map<String, Object>> targets = new java.util.ArrayList<>();
            synchronized (data) {
                for (Map<String, Object> w : data.webhooks.values()) {
                    if ("active".equals(w.get("status")) && topic.equals(w.get("topic"))) {
                        targets.add(Json.copy(w));
                    }
                }
            }
            if (targets.isEmpty()) {
                return;
            }
            byte[] body = Json.write(payload).trim().getBytes(StandardCharsets.UTF_8);
            for (Map<String, Object> w : targets) {
                deliver(w, body);
            }
        }

        private void deliver(Map<String, Object> w, byte[] body) {
            long id = WooData.num(w.get("id"));
            String url = WooData.str(w.get("delivery_url"));
            String deliveryId = HexFormat.of().formatHex(WooData.sha256(id + "-" + System.nanoTime() + "-" + Math.random()), 0, 16);
            String signature;
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(secrets.getOrDefault(id, "").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            java.net.http.HttpRequest request;
            try {
                request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .timeout(java.time.Duration.ofSeconds(timeoutSeconds))
                        .header("User-Agent", userAgent())
                        .header("Content-Type", "application/json")
                        .header("X-WC-Webhook-Source", base + "/")
                        .header("X-WC-Webhook-Topic", WooData.str(w.get("topic")))
                        .header("X-WC-Webhook-Resource", WooData.str(w.get("resource")))
                        .header("X-WC-Webhook-Event", WooData.str(w.get("event")))
                        .header("X-WC-Webhook-Signature", signature)
                        .header("X-WC-Webhook-ID", Long.toString(id))
                        .header("X-WC-Webhook-Delivery-ID", deliveryId)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
            } catch (IllegalArgumentException e) {
                System.err.println("demo-store: webhook " + id + " delivery to " + url + " failed: " + e.getMessage());
                return;
            }
            client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                boolean ok = error == null && response.statusCode() >= 200 && response.statusCode() < 300;
                System.err.println("demo-store: webhook " + id + " " + w.get("topic") + " delivery " + deliveryId + " -> " + url + ": "
                        + (error != null ? "failed: " + rootCause(error) : "HTTP " + response.statusCode()));
                if (ok) {
                    failures.remove(id);
                    return;
                }
                int count = failures.merge(id, 1, Integer::sum);
                if (count > MAX_FAILURES) {
                    synchronized (data) {
                        Map<String, Object> live = data.webhooks.get(id);
                        if (live != null && "active".equals(live.get("status"))) {
                            live.put("status", "disabled");
                            System.err.println("demo-store: webhook " + id + " disabled after " + count + " consecutive failed deliveries");
                        }
                    }
                }
            });
        }
    }
}
