import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient.ResponseReceiver;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Gateway overhead: throughput and latency of a trivial downstream route called directly and through the gateway
 * (API-key auth, tenant lookup, Redis rate limiting, routing, circuit breaker, security headers), in one run over
 * loopback.
 *
 * <pre>
 * cd /work/main   # the repository root; PostgreSQL and Redis running (see DEVELOPERS.md)
 * mvn -q -pl gateway-service -am package -DskipTests
 * mvn -q -pl gateway-service dependency:build-classpath -Dmdep.outputFile=/tmp/gateway.cp
 * java -cp "$(cat /tmp/gateway.cp)" docs/bench/GatewayOverheadBench.java \
 *      [--jar gateway-service/target/gateway-service-0.1.0-SNAPSHOT.jar] [--connections 16] [--seconds 20] \
 *      [--warmup 5] [--rounds 3] [--jit-warmup 60] [--gateway-env NAME=value,...] [--gateway-java-opts "-XX:..."]
 * </pre>
 *
 * What runs: a Reactor Netty server answering every request with a 27-byte JSON body (the "service"); the gateway
 * from its jar in its own JVM, on a database of its own ({@code concierge_gateway_bench}, created if missing), the
 * real Redis ({@code REDIS_URL}, default 127.0.0.1:6379) and its routes pointing at that server; no Kafka (the
 * tenant's registration event waits in the outbox: not on the request path). One tenant is registered on plan
 * {@code pro}, whose buckets are raised to 10^6 requests/s (so every request asks Redis and none is limited; the
 * bench checks {@code X-RateLimit-Remaining} is present and no request gets 429).
 * <p>
 * The load: a Reactor Netty client with {@code --connections} keep-alive HTTP/1.1 connections, each sending
 * {@code GET /api/search/bench?q=lamp} with {@code Authorization: Bearer <api_key>} back to back for
 * {@code --seconds} after {@code --warmup} seconds not counted (throughput; latency then includes queueing), then
 * one connection for half as long (latency without queueing: what the gateway adds to one request). Before the first round both targets get
 * {@code --jit-warmup} seconds of load in total, not counted (a freshly started gateway needs that much before the JIT
 * compiled its hot paths). Direct and through-gateway alternate round by round, so load from other processes on a
 * shared machine falls on both alike. CPU time per request is taken from the bench's JVM (client and service) and
 * the gateway's process. Everything (client, gateway,
 * service, Redis) shares the machine's cores: on 2 cores the gateway's numbers include the CPU it takes from the
 * client and the service.
 * <p>
 * For reference, in the same run: a bare Reactor Netty proxy in its own JVM (this file started with
 * {@code --serve-bare-proxy <port> <service url>}), forwarding method, path, headers and body over pooled keep-alive
 * connections and nothing else: the least a proxy hop costs on this machine. Its rows show its own process's CPU in
 * the gateway CPU column.
 * <p>
 * Prints each round, then a Markdown table: median over the rounds and the range (min–max) of throughput and of
 * p50/p95/p99 latency, and the verdict against the targets (gateway keeps ≥ 50 % of direct throughput at full load,
 * adds ≤ 2 ms at p50 to a single connection's requests).
 */
public class GatewayOverheadBench {

    private static final String ADMIN_KEY = "bench-admin-key-" + UUID.randomUUID();
    private static final String PATH = "/api/search/bench?q=lamp";
    private static final String RATE_LIMIT_HEADER = "X-RateLimit-Remaining";
    private static final byte[] BODY = "{\"results\":[],\"took_ms\":0}".getBytes(StandardCharsets.UTF_8);

    /**
     * @param errors    responses other than 200, and failed requests
     * @param unlimited responses without {@code X-RateLimit-Remaining} (the gateway let them through without asking
     *                  Redis); always all of them when calling the service directly
     * @param benchCpuMicros   CPU time of this JVM (load generator and service) per request
     * @param gatewayCpuMicros CPU time of the gateway's JVM per request
     */
    record Round(String target, long requests, long errors, long unlimited, double seconds, double p50, double p95,
            double p99, double benchCpuMicros, double gatewayCpuMicros) {

        double throughput() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--serve-bare-proxy")) {
            serveBareProxy(Integer.parseInt(args[1]), args[2]);
            return;
        }
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("jar", "gateway-service/target/gateway-service-0.1.0-SNAPSHOT.jar"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int jitWarmup = Integer.parseInt(options.getOrDefault("jit-warmup", "60"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " not found: mvn -q -pl gateway-service -am package -DskipTests");
        }
        ensureDatabase("concierge_gateway_bench");

        DisposableServer service = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(BODY.length))
                        .sendByteArray(Mono.just(BODY)))
                .bindNow();
        String serviceUrl = "http://127.0.0.1:" + service.port();
        int gatewayPort = freePort();
        Process bareProxy = null;
        Process gateway = startGateway(jar, gatewayPort, serviceUrl, options.getOrDefault("gateway-env", ""),
                options.getOrDefault("gateway-java-opts", ""));
        try {
            String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
            awaitLive(gatewayUrl, gateway);
            String apiKey = registerTenant(gatewayUrl);
            if (!options.getOrDefault("gateway-env", "").contains("GATEWAY_RATE_LIMIT_ENABLED=false")) {
                checkRateLimited(gatewayUrl, apiKey);
            }
            System.out.printf(Locale.ROOT, "%d connections, %d s per measurement after %d s warm-up, %d rounds, after "
                    + "%d s of load on both first (JIT); %d cores%n", connections, seconds, warmup, rounds, jitWarmup,
                    Runtime.getRuntime().availableProcessors());
            int proxyPort = freePort();
            bareProxy = startBareProxy(proxyPort, serviceUrl);
            String proxyUrl = "http://127.0.0.1:" + proxyPort;
            awaitUp(proxyUrl + PATH, bareProxy);
            GATEWAY = gateway.toHandle();
            measure("direct", serviceUrl, apiKey, connections, 0, jitWarmup / 2);
            measure("gateway", gatewayUrl, apiKey, connections, 0, jitWarmup / 2);
            GATEWAY = bareProxy.toHandle();
            measure("bare proxy", proxyUrl, apiKey, connections, 0, jitWarmup / 4);

            List<Round> direct = new ArrayList<>();
            List<Round> through = new ArrayList<>();
            List<Round> directAlone = new ArrayList<>();
            List<Round> throughAlone = new ArrayList<>();
            List<Round> bare = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                GATEWAY = gateway.toHandle();
                direct.add(print(round, measure("direct", serviceUrl, apiKey, connections, warmup, seconds)));
                through.add(print(round, measure("gateway", gatewayUrl, apiKey, connections, warmup, seconds)));
                GATEWAY = bareProxy.toHandle();
                bare.add(print(round, measure("bare proxy", proxyUrl, apiKey, connections, warmup, seconds)));
                GATEWAY = gateway.toHandle();
                directAlone.add(print(round, measure("direct/1", serviceUrl, apiKey, 1, 2, seconds / 2)));
                throughAlone.add(print(round, measure("gateway/1", gatewayUrl, apiKey, 1, 2, seconds / 2)));
            }
            summary(direct, through, directAlone, throughAlone, bare);
        } finally {
            if (bareProxy != null) {
                bareProxy.destroy();
            }
            gateway.destroy();
            if (!gateway.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
            service.disposeNow();
        }
    }

    /** Requests back to back on every connection; latency per request from send to the last body byte. */
    private static Round measure(String target, String baseUrl, String apiKey, int connections, int warmup,
            int seconds) {
        ConnectionProvider pool = ConnectionProvider.builder("bench-" + target).maxConnections(connections)
                .pendingAcquireMaxCount(-1).build();
        reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(pool)
                .baseUrl(baseUrl)
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey));
        ResponseReceiver<?> get = client.get().uri(PATH);
        run(get, connections, System.nanoTime() + Duration.ofSeconds(warmup).toNanos(), new AtomicLong(),
                new AtomicLong());

        AtomicLong errors = new AtomicLong();
        AtomicLong unlimited = new AtomicLong();
        long benchCpu = benchCpuNanos();
        long gatewayCpu = gatewayCpuNanos();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<long[]> perConnection = run(get, connections, end, errors, unlimited);
        double elapsed = (System.nanoTime() - start) / 1e9;
        benchCpu = benchCpuNanos() - benchCpu;
        gatewayCpu = gatewayCpuNanos() - gatewayCpu;
        pool.disposeLater().block();

        int total = perConnection.stream().mapToInt(a -> a.length).sum();
        long[] all = new long[total];
        int offset = 0;
        for (long[] some : perConnection) {
            System.arraycopy(some, 0, all, offset, some.length);
            offset += some.length;
        }
        Arrays.sort(all);
        return new Round(target, total, errors.get(), unlimited.get(), elapsed, percentile(all, 0.50),
                percentile(all, 0.95), percentile(all, 0.99), benchCpu / 1e3 / Math.max(1, total),
                gatewayCpu / 1e3 / Math.max(1, total));
    }

    private static volatile ProcessHandle GATEWAY;

    private static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gatewayCpuNanos() {
        ProcessHandle gateway = GATEWAY;
        return gateway == null ? 0 : gateway.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** {@code connections} loops, each sending one request after the other until {@code end}. */
    private static List<long[]> run(ResponseReceiver<?> get, int connections, long end, AtomicLong errors,
            AtomicLong unlimited) {
        return Flux.range(0, connections)
                .flatMap(i -> Mono.fromSupplier(LongList::new)
                        .flatMap(samples -> loop(get, end, samples, errors, unlimited).thenReturn(samples)),
                        connections)
                .map(LongList::toArray)
                .collectList()
                .block();
    }

    /** One connection's requests, one after the other, until {@code end} (a repeat, not a recursion). */
    private static Mono<Void> loop(ResponseReceiver<?> get, long end, LongList samples, AtomicLong errors,
            AtomicLong unlimited) {
        return Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return get.responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                                    .map(bytes -> {
                                        if (!response.responseHeaders().contains(RATE_LIMIT_HEADER)) {
                                            unlimited.incrementAndGet();
                                        }
                                        return response.status().code();
                                    }))
                            .timeout(Duration.ofSeconds(30))
                            .doOnNext(status -> {
                                if (status != 200) {
                                    errors.incrementAndGet();
                                }
                                samples.add(System.nanoTime() - sent);
                            })
                            .onErrorResume(e -> {
                                errors.incrementAndGet();
                                return Mono.empty();
                            });
                })
                .repeat(() -> System.nanoTime() < end)
                .then();
    }

    private static final class LongList {
        private long[] values = new long[1 << 14];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static Round print(int round, Round r) {
        System.out.printf(Locale.ROOT, "round %d %-7s %,9d requests in %.1f s = %,8.0f req/s  p50 %.2f ms  p95 %.2f ms  "
                        + "p99 %.2f ms  errors %d  without rate limit %d  CPU/request: bench JVM %.0f µs, gateway %.0f µs%n",
                round, r.target(), r.requests(), r.seconds(), r.throughput(), r.p50(), r.p95(), r.p99(), r.errors(),
                r.unlimited(), r.benchCpuMicros(), r.gatewayCpuMicros());
        return r;
    }

    private static void summary(List<Round> direct, List<Round> through, List<Round> directAlone,
            List<Round> throughAlone, List<Round> bare) {
        System.out.println();
        System.out.println("| target | throughput (req/s) | p50 (ms) | p95 (ms) | p99 (ms) | gateway CPU/request (µs) "
                + "| errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (List<Round> rounds : List.of(direct, through, directAlone, throughAlone, bare)) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d |%n", rounds.get(0).target(),
                    stat(rounds, Round::throughput, "%,.0f"), stat(rounds, Round::p50, "%.2f"),
                    stat(rounds, Round::p95, "%.2f"), stat(rounds, Round::p99, "%.2f"),
                    stat(rounds, Round::gatewayCpuMicros, "%.0f"), rounds.stream().mapToLong(Round::errors).sum());
        }
        double[] kept = new double[direct.size()];
        double[] added = new double[direct.size()];
        double[] addedLoaded = new double[direct.size()];
        for (int i = 0; i < direct.size(); i++) {
            kept[i] = through.get(i).throughput() / direct.get(i).throughput() * 100;
            added[i] = throughAlone.get(i).p50() - directAlone.get(i).p50();
            addedLoaded[i] = through.get(i).p50() - direct.get(i).p50();
        }
        double keptMedian = median(kept);
        double addedMedian = median(added);
        System.out.printf(Locale.ROOT, "%nthrough the gateway: %.0f %% of direct throughput (rounds %s); p50 +%.2f ms "
                        + "with one connection (rounds %s), +%.2f ms at full load (rounds %s)%n", keptMedian,
                format(kept, "%.0f"), addedMedian, format(added, "%.2f"), median(addedLoaded),
                format(addedLoaded, "%.2f"));
        double[] bareKept = new double[direct.size()];
        for (int i = 0; i < direct.size(); i++) {
            bareKept[i] = bare.get(i).throughput() / direct.get(i).throughput() * 100;
        }
        System.out.printf(Locale.ROOT, "for reference, a bare Reactor Netty proxy (no auth, no rate limit, no Spring): "
                + "%.0f %% of direct throughput (rounds %s)%n", median(bareKept), format(bareKept, "%.0f"));
        System.out.printf(Locale.ROOT, "targets: >= 50 %% of direct throughput %s, <= 2 ms added at p50 %s%n",
                keptMedian >= 50 ? "MET" : "MISSED", addedMedian <= 2 ? "MET" : "MISSED");
    }

    private static String stat(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value, String format) {
        double[] values = rounds.stream().mapToDouble(value).toArray();
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(values), min, max);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(double[] values, String format) {
        return String.join(", ", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, format, v)).toList());
    }

    // --- the reference: the least a proxy hop costs here

    /**
     * The floor any proxy hop has on this machine: a Reactor Netty server forwarding each request (method, path,
     * headers, body) over pooled keep-alive connections to the service and streaming the answer back, with
     * nothing else (no Spring, no auth, no rate limit, no header hygiene). Runs in its own JVM, like the gateway.
     */
    private static void serveBareProxy(int port, String serviceUrl) {
        reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient
                .create(ConnectionProvider.builder("bare-proxy").maxConnections(256).pendingAcquireMaxCount(-1).build())
                .baseUrl(serviceUrl);
        HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> client
                        .headers(headers -> headers.set(request.requestHeaders()).remove(HttpHeaderNames.HOST))
                        .request(request.method()).uri(request.uri())
                        .send(request.receive().retain())
                        .response((answer, body) -> response.status(answer.status())
                                .headers(answer.responseHeaders())
                                .send(body.retain()))
                        .then())
                .bindNow()
                .onDispose()
                .block();
    }

    private static Process startBareProxy(int port, String serviceUrl) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                "docs/bench/GatewayOverheadBench.java", "--serve-bare-proxy", String.valueOf(port), serviceUrl);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static void awaitUp(String url, Process process) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bare proxy exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the bare proxy did not start within 60 s");
    }

    // --- the gateway process

    private static Process startGateway(Path jar, int port, String serviceUrl, String extraEnv, String javaOpts)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        if (!javaOpts.isBlank()) {
            command.addAll(Arrays.asList(javaOpts.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("GATEWAY_PORT", String.valueOf(port));
        env.put("PG_DATABASE", "concierge_gateway_bench");
        env.put("CONCIERGE_ADMIN_KEY", ADMIN_KEY);
        for (String service : List.of("CHAT", "SEARCH", "SCRAPER", "COMMERCE")) {
            env.put(service + "_SERVICE_URL", serviceUrl);
        }
        env.put("EMBEDDING_WORKER_URL", serviceUrl);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + freePort()); // none: events wait in the outbox
        env.put("GATEWAY_PLAN_PRO_TENANT_RATE", "1000000");
        env.put("GATEWAY_PLAN_PRO_TENANT_BURST", "1000000");
        env.put("GATEWAY_PLAN_PRO_IP_RATE", "1000000");
        env.put("GATEWAY_PLAN_PRO_IP_BURST", "1000000");
        env.put("LOGGING_LEVEL_ROOT", "WARN");
        env.put("LOGGING_LEVEL_DEV_CONCIERGE_GATEWAY_TENANTS", "ERROR"); // the outbox's "Kafka down" warning
        env.put("LOGGING_LEVEL_ORG_APACHE_KAFKA", "ERROR");
        for (String setting : extraEnv.split(",")) {
            if (setting.contains("=")) {
                env.put(setting.substring(0, setting.indexOf('=')).strip(), setting.substring(setting.indexOf('=') + 1));
            }
        }
        Path log = Files.createTempFile("gateway-bench", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        System.out.println("gateway log: " + log);
        return builder.start();
    }

    private static void awaitLive(String gatewayUrl, Process gateway) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + gateway.exitValue());
            }
            try {
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl
                        + "/api/health/live")).build(), HttpResponse.BodyHandlers.ofString());
                if (live.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the gateway did not start within 120 s");
    }

    private static String registerTenant(String gatewayUrl) throws Exception {
        String domain = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gatewayUrl + "/api/admin/tenants"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"domain\":\"" + domain
                        + "\",\"rate_limit_plan\":\"pro\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher key = Pattern.compile("\"api_key\":\"([^\"]+)\"").matcher(created.body());
        if (created.statusCode() != 201 || !key.find()) {
            throw new IllegalStateException("registering a tenant failed: " + created.statusCode() + " "
                    + created.body());
        }
        return key.group(1);
    }

    /**
     * Requests through the gateway until one passes with the rate limiter's headers (Redis was asked): right after
     * start the gateway may still be connecting to Redis, and lets requests through unlimited meanwhile.
     */
    private static void checkRateLimited(String gatewayUrl, String apiKey) throws Exception {
        HttpResponse<String> response = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gatewayUrl + PATH))
                    .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.headers().firstValue(RATE_LIMIT_HEADER).isPresent()) {
                System.out.println("rate limiting on: " + RATE_LIMIT_HEADER + " "
                        + response.headers().firstValue(RATE_LIMIT_HEADER).get());
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("expected 200 with " + RATE_LIMIT_HEADER + " (is Redis up?), got "
                + response.statusCode() + " " + response.headers().map());
    }

    private static void ensureDatabase(String name) throws SQLException {
        String host = System.getenv().getOrDefault("PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PG_PORT", "5432");
        String user = System.getenv().getOrDefault("PG_USER", "postgres");
        String password = System.getenv().getOrDefault("PG_PASSWORD", "");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user,
                password)) {
            var exists = db.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                db.createStatement().execute("CREATE DATABASE " + name);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
