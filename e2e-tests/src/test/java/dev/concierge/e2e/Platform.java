package dev.concierge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole platform as `./concierge up` runs it: every service a separate JVM started from its built
 * jar, the demo store, a real Kafka broker and the local PostgreSQL (each service on its own
 * {@code <database>_test}). Ports are picked free so a running `./concierge up` is not disturbed.
 */
final class Platform implements AutoCloseable {

    static final List<String> SERVICES = List.of(
            "search-service", "embedding-worker", "scraper-service", "chat-service", "commerce-service", "gateway-service");

    final Path root;
    final String adminKey = "e2e-admin-" + UUID.randomUUID();
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final int demoStorePort;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, ProcessBuilder> builders = new LinkedHashMap<>();
    private final List<String> restarts = new ArrayList<>();
    private final Path logs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Platform(String kafkaBootstrap) throws IOException {
        root = Path.of(System.getProperty("concierge.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
        for (String svc : SERVICES) {
            ports.put(svc, freePort());
        }
        demoStorePort = freePort();

        // Basic auth over plain HTTP only so the test itself can change the store's stock (commerce-service signs
        // with OAuth 1.0a, as WooCommerce requires over HTTP).
        start("demo-store", List.of(java(), "-Xmx64m", root.resolve("infra/demo-store/DemoStore.java").toString(),
                "--port", String.valueOf(demoStorePort), "--wc-allow-basic-over-http"), Map.of());
        String version = System.getProperty("concierge.version", "0.1.0-SNAPSHOT");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("CONCIERGE_ADMIN_KEY", adminKey);
        env.put("GATEWAY_PORT", port("gateway-service"));
        env.put("CHAT_PORT", port("chat-service"));
        env.put("SEARCH_PORT", port("search-service"));
        env.put("SCRAPER_PORT", port("scraper-service"));
        env.put("COMMERCE_PORT", port("commerce-service"));
        env.put("EMBEDDING_WORKER_PORT", port("embedding-worker"));
        env.put("CHAT_SERVICE_URL", url("chat-service"));
        env.put("SEARCH_SERVICE_URL", url("search-service"));
        env.put("SCRAPER_SERVICE_URL", url("scraper-service"));
        env.put("COMMERCE_SERVICE_URL", url("commerce-service"));
        env.put("EMBEDDING_WORKER_URL", url("embedding-worker"));
        env.put("SCRAPER_ALLOW_PRIVATE_HOSTS", "true");
        env.put("GATEWAY_REQUIRE_VERIFIED_DOMAIN", "false");
        env.put("SCRAPER_POLITENESS_DELAY_MS", "20");
        env.put("COMMERCE_ALLOW_PRIVATE_HOSTS", "true");
        env.put("COMMERCE_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(
                new java.security.SecureRandom().generateSeed(32)));
        // the store's webhooks reach commerce-service the way a real store's do: through the gateway
        env.put("COMMERCE_PUBLIC_URL", url("gateway-service"));
        for (String svc : SERVICES) {
            Map<String, String> own = new LinkedHashMap<>(env);
            if (!svc.equals("embedding-worker")) {
                own.put("PG_DATABASE", "concierge_" + svc.replace("-service", "") + "_test");
            }
            Path jar = root.resolve(svc + "/target/" + svc + "-" + version + ".jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first (mvn verify builds them)");
            }
            String heap = svc.equals("search-service") || svc.equals("embedding-worker") ? "-Xmx384m" : "-Xmx256m";
            // a consumer killed with -9 holds its partitions until its session times out: 10 s instead of 45 s
            start(svc, List.of(java(), heap, "-XX:+UseSerialGC", "-Dspring.kafka.consumer.properties.session.timeout.ms=10000",
                    "-jar", jar.toString()), own);
        }
    }

    /**
     * Waits for every service's readiness. A process that dies while starting is restarted once, as its
     * supervisor (Kubernetes, `./concierge up`) would; a second death fails the run. Restarts are reported.
     */
    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String svc : SERVICES) {
            while (!ready(svc)) {
                for (Map.Entry<String, Process> p : processes.entrySet()) {
                    if (!p.getValue().isAlive()) {
                        String name = p.getKey();
                        if (restarts.contains(name)) {
                            throw new IllegalStateException(name + " exited twice while starting; see " + logs);
                        }
                        restarts.add(name);
                        System.err.println("e2e: " + name + " exited while starting (exit " + p.getValue().exitValue()
                                + "), restarting it once; first log kept as " + name + ".first.log");
                        Files.move(logs.resolve(name + ".log"), logs.resolve(name + ".first.log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        p.setValue(builders.get(name).start());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(svc + " not ready within " + timeout + "; see " + logs);
                }
                Thread.sleep(500);
            }
        }
    }

    /** kill -9 of the service's JVM: no shutdown hook, no offset commit, no transaction end. */
    void kill(String svc) throws InterruptedException {
        Process p = processes.get(svc);
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor();
    }

    /** Starts the service again as before (its log continues in a new file) and waits until it is ready. */
    void restart(String svc, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = builders.get(svc);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(svc + ".log").toFile()));
        processes.put(svc, pb.start());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready(svc)) {
            if (!processes.get(svc).isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(svc + " did not come back after a restart; see " + logs);
            }
            Thread.sleep(300);
        }
    }

    /** Serves a generated site ({@code docs/bench/generate_site.py}) of {@code pages} product pages; returns its URL. */
    String serveGeneratedSite(int pages) throws IOException, InterruptedException {
        int port = freePort();
        Path site = Files.createTempDirectory("concierge-e2e-site");
        Process generate = new ProcessBuilder("python3", root.resolve("docs/bench/generate_site.py").toString(),
                site.toString(), String.valueOf(pages), "http://127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(logs.resolve("generate-site.log").toFile()).start();
        if (generate.waitFor() != 0) {
            throw new IllegalStateException("generate_site.py failed; see " + logs.resolve("generate-site.log"));
        }
        start("generated-site", List.of(java(), "-Xmx64m", root.resolve("infra/demo-store/DemoStore.java").toString(),
                "--port", String.valueOf(port), "--root", site.toString()), Map.of());
        String url = "http://127.0.0.1:" + port + "/";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return url;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(300);
        }
    }

    String gateway() {
        return "http://127.0.0.1:" + ports.get("gateway-service");
    }

    String demoStore() {
        return "http://127.0.0.1:" + demoStorePort + "/";
    }

    private boolean ready(String svc) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(svc) + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        builders.put(name, pb);
        processes.put(name, pb.start());
    }

    private String port(String svc) {
        return String.valueOf(ports.get(svc));
    }

    private String url(String svc) {
        return "http://127.0.0.1:" + ports.get(svc);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
