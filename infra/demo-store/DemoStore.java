/*
 * Demo store for Concierge: a tiny, dependency-free web server that serves the static
 * "Cedar & Spoke Cycles" shop in ./site so the crawler and the chat have something real to work on.
 *
 * Run (JDK 17+, no build step):
 *
 *   java infra/demo-store/DemoStore.java [--port 8090] [--root infra/demo-store/site] [--bind 127.0.0.1] [--verbose]
 *
 * Routing: every handler is registered in DemoStore#routes(). The JDK HttpServer dispatches a request to the
 * context with the longest matching path prefix, so a future API (e.g. a WooCommerce-compatible
 * "/wp-json/wc/v3/") is added as one more route next to the static site without touching StaticSiteHandler.
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
    }

    /** All request handlers, keyed by path prefix. Longest matching prefix wins. */
    static Map<String, HttpHandler> routes(Config config, String publicBase) {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/", new StaticSiteHandler(config.root(), publicBase));
        // Later: routes.put("/wp-json/wc/v3/", new WooCommerceApiHandler(catalog));
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

    record Config(int port, Path root, String bind, boolean verbose, boolean help) {

        static final String USAGE = """
                usage: java infra/demo-store/DemoStore.java [--port N] [--root DIR] [--bind ADDR] [--verbose]
                  --port N     port to listen on (default: $DEMO_STORE_PORT, else 8090; 0 = any free port)
                  --root DIR   directory with the site (default: the 'site' folder next to DemoStore.java)
                  --bind ADDR  address to bind (default: 127.0.0.1)
                  --verbose    log one line per request to stderr""";

        static Config parse(String[] args, Map<String, String> env) {
            Integer port = null;
            Path root = null;
            String bind = "127.0.0.1";
            boolean verbose = false;
            boolean help = false;
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
            return new Config(port, root.toAbsolutePath().normalize(), bind, verbose, help);
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
}
