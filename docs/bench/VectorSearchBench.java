import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * Vector search latency, throughput and recall of search-service's query shape on synthetic data.
 *
 * <pre>
 * java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar \
 *      docs/bench/VectorSearchBench.java --rows 100000 [--seconds 20] [--ef 100] [--mwm 2GB] [--keep]
 *      [--index vector|halfvec] [--efc 64] [--exact-max 10000] [--ef-large 300] [--large-from 100000]
 * </pre>
 *
 * Works in its own database, {@code concierge_search_bench} (created if missing, dropped table rebuilt
 * unless {@code --keep} finds one of the same size). The data is what HNSW meets in practice, not uniform
 * noise: 384-d unit vectors drawn around 2,000 topic centroids, spread over 50 tenants whose sizes follow
 * a power law (the largest holds about a quarter of the rows, the smallest a few hundred). Every query
 * has search-service's shape: one tenant, cosine distance, top 10, {@code hnsw.ef_search} set and
 * {@code hnsw.iterative_scan = relaxed_order}. Recall@10 is measured against exact search (index scans
 * off) for 100 queries; latency and QPS with 1 and 4 concurrent clients, each on its own connection.
 * As in search-service (migration V4) the column is an untyped {@code vector} and the HNSW index is built on
 * the expression {@code embedding::vector(384)}; {@code --index halfvec} builds it on
 * {@code embedding::halfvec(384)} instead (half the index size; queries cast the same way), and
 * {@code --efc} sets {@code ef_construction}. Like search-service, a tenant with at most {@code --exact-max} rows
 * is searched exactly (ordered by the full-precision distance, which no index serves); recall is always measured
 * against the full-precision exact order. A tenant above {@code --large-from} rows searches with
 * {@code max(--ef, --ef-large)}, as search-service does (SEARCH_EF_SEARCH_LARGE).
 * With {@code --keep} an existing table is reused and only a
 * missing index of the asked kind is built.
 * Prints a Markdown report.
 */
public class VectorSearchBench {

    static final int DIM = 384;
    static final int CENTROIDS = 2_000;
    static final int TENANTS = 50;
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/";
    /** Per-dimension noise around a topic centroid: passages of one topic have cosine ~0.3-0.5 to each other. */
    static final double NOISE = 0.07;

    /** The topics a tenant writes about: one per ~50 of its chunks, at least 20. */
    static int[] topicsOf(int tenant, int rows) {
        return new Random(1_000 + tenant).ints(Math.max(20, rows / 50), 0, CENTROIDS).toArray();
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 100_000);
        int seconds = intArg(args, "--seconds", 20);
        int ef = intArg(args, "--ef", 100);
        boolean keep = Arrays.asList(args).contains("--keep");
        maintenanceWorkMem = stringArg(args, "--mwm", "2GB");
        indexKind = stringArg(args, "--index", "vector");
        exactMax = intArg(args, "--exact-max", 10_000);
        efLarge = intArg(args, "--ef-large", 300);
        largeFrom = intArg(args, "--large-from", 100_000);
        efConstruction = intArg(args, "--efc", 64);
        if (!indexKind.equals("vector") && !indexKind.equals("halfvec")) {
            throw new IllegalArgumentException("--index must be vector or halfvec");
        }
        ensureDatabase();
        Random random = new Random(42);
        float[][] centroids = new float[CENTROIDS][];
        for (int i = 0; i < CENTROIDS; i++) {
            centroids[i] = unit(gaussian(random, DIM, 1.0));
        }
        int[] tenantRows = tenantSizes(rows);
        sizes = tenantRows;
        try (Connection c = connect()) {
            if (!(keep && existingRows(c) == rows)) {
                load(c, rows, tenantRows, centroids, random);
            }
            buildIndex(c);
            System.out.printf(Locale.ROOT, "## %,d chunks, 384 dimensions, %d tenants (largest %,d rows, smallest %,d)%n%n",
                    rows, TENANTS, tenantRows[0], tenantRows[TENANTS - 1]);
            System.out.printf(Locale.ROOT, "- table %s, HNSW index %s (%s, m=16, ef_construction=%d)%n",
                    size(c, "pg_table_size('bench_chunks')"), size(c, "pg_relation_size('" + indexName() + "')"), indexKind,
                    efConstruction);
        }
        Random queries = new Random(7);
        for (String label : new String[] {"largest tenant", "small tenant"}) {
            String tenant = label.equals("largest tenant") ? "t00" : "t40";
            int t = Integer.parseInt(tenant.substring(1));
            int[] topics = topicsOf(t, tenantRows[t]);
            List<float[]> qs = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // shoppers ask about the store's own topics
                float[] centre = centroids[topics[queries.nextInt(topics.length)]];
                qs.add(unit(add(centre, gaussian(queries, DIM, NOISE))));
            }
            long phase = System.nanoTime();
            int tenantEf = efFor(tenant, ef);
            double recall = recall(tenant, qs.subList(0, 100), tenantEf);
            System.err.printf(Locale.ROOT, "recall of %s measured in %.0f s%n", tenant, (System.nanoTime() - phase) / 1e9);
            Result one = load(tenant, qs, tenantEf, 1, seconds);
            Result four = load(tenant, qs, tenantEf, 4, seconds);
            System.out.printf(Locale.ROOT, "- %s (%s, %,d rows), %s: recall@10 %.3f%n", label, tenant,
                    tenantRows[Integer.parseInt(tenant.substring(1))],
                    exactScan(tenant) ? "exact scan" : "ef_search=" + tenantEf, recall);
            System.out.printf(Locale.ROOT, "  - 1 client: p50 %.2f ms, p95 %.2f ms, %.0f QPS%n", one.p50, one.p95, one.qps);
            System.out.printf(Locale.ROOT, "  - 4 clients: p50 %.2f ms, p95 %.2f ms, %.0f QPS%n", four.p50, four.p95, four.qps);
        }
    }

    record Result(double p50, double p95, double qps) {
    }

    static Result load(String tenant, List<float[]> qs, int ef, int clients, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long[] done = new long[clients];
        for (int t = 0; t < clients; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try (Connection c = connect(); PreparedStatement ps = query(c, ef, exactScan(tenant))) {
                    int i = id;
                    for (int w = 0; w < 20; w++) { // warm-up
                        run(ps, tenant, qs.get((i++) % qs.size()));
                    }
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        run(ps, tenant, qs.get((i++) % qs.size()));
                        latencies.add(System.nanoTime() - start);
                        done[id]++;
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException("no query finished within " + seconds + " s");
        }
        return new Result(sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.95)] / 1e6,
                Arrays.stream(done).sum() / elapsed);
    }

    /**
     * search-service's vector query: a tenant with at most {@code exactMax} rows ordered by the full-precision
     * distance (no index serves it: an exact scan of the tenant's rows), a larger one by the distance its HNSW
     * index serves. {@code exact} forces the full-precision order (the reference for recall).
     */
    /** Whether search-service searches the tenant exactly (SEARCH_EXACT_MAX_CHUNKS). */
    static boolean exactScan(String tenant) {
        return sizes[Integer.parseInt(tenant.substring(1))] <= exactMax;
    }

    static PreparedStatement query(Connection c, int ef, boolean exact) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set hnsw.ef_search = " + ef);
            s.execute("set hnsw.iterative_scan = relaxed_order");
            s.execute("set plan_cache_mode = force_custom_plan"); // as search-service's database is configured
        }
        String full = "(embedding::vector(384)) <=> cast(? as vector(384))";
        String order = exact ? full : "(embedding::" + indexKind + "(384)) <=> cast(? as " + indexKind + "(384))";
        return c.prepareStatement("select id from (select id, " + full + " as d from bench_chunks where tenant_id = ? order by "
                + order + " limit 10) hits order by d");
    }

    static List<Long> run(PreparedStatement ps, String tenant, float[] q) throws SQLException {
        String v = literal(q);
        ps.setString(1, v);
        ps.setString(2, tenant);
        ps.setString(3, v);
        List<Long> ids = new ArrayList<>(10);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static double recall(String tenant, List<float[]> qs, int ef) throws SQLException {
        double total = 0;
        try (Connection c = connect(); PreparedStatement approx = query(c, ef, exactScan(tenant));
             Connection e = connect(); PreparedStatement exact = query(e, ef, true)) {
            try (Statement s = e.createStatement()) {
                s.execute("set enable_indexscan = off");
            }
            for (float[] q : qs) {
                Set<Long> truth = new HashSet<>(run(exact, tenant, q));
                List<Long> found = run(approx, tenant, q);
                total += found.stream().filter(truth::contains).count() / (double) truth.size();
            }
        }
        return total / qs.size();
    }

    static void load(Connection c, int rows, int[] tenantRows, float[][] centroids, Random random) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists vector");
            s.execute("drop table if exists bench_chunks");
            s.execute("create table bench_chunks (id bigint primary key, tenant_id text not null, embedding vector not null)");
        }
        long start = System.nanoTime();
        var copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
        StringBuilder batch = new StringBuilder();
        long id = 0;
        for (int t = 0; t < TENANTS; t++) {
            int[] topics = topicsOf(t, tenantRows[t]);
            for (int r = 0; r < tenantRows[t]; r++) {
                float[] v = unit(add(centroids[topics[random.nextInt(topics.length)]], gaussian(random, DIM, NOISE)));
                batch.append(id++).append('\t').append(String.format("t%02d", t)).append('\t').append(literal(v)).append('\n');
                if (batch.length() > 8_000_000) {
                    copy.copyIn("copy bench_chunks from stdin", new StringReader(batch.toString()));
                    batch.setLength(0);
                }
            }
        }
        copy.copyIn("copy bench_chunks from stdin", new StringReader(batch.toString()));
        double loaded = (System.nanoTime() - start) / 1e9;
        try (Statement s = c.createStatement()) {
            s.execute("create index bench_chunks_tenant on bench_chunks (tenant_id)");
            s.execute("vacuum analyze bench_chunks");
        }
        System.out.printf(Locale.ROOT, "- loaded %,d rows in %.0f s (COPY)%n", rows, loaded);
    }

    static String indexName() {
        return "bench_chunks_hnsw_" + indexKind + "_" + efConstruction;
    }

    /** The HNSW index of the asked kind, built unless it exists (the search uses whichever matches its cast). */
    static void buildIndex(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1 from pg_class where relname = '" + indexName() + "'")) {
            if (rs.next()) {
                return;
            }
        }
        long start = System.nanoTime();
        try (Statement s = c.createStatement()) {
            // one HNSW index at a time, or the planner might walk another one
            try (ResultSet rs = c.createStatement().executeQuery(
                    "select relname from pg_class where relname like 'bench_chunks_hnsw%'")) {
                List<String> old = new ArrayList<>();
                while (rs.next()) {
                    old.add(rs.getString(1));
                }
                for (String name : old) {
                    s.execute("drop index " + name);
                }
            }
            s.execute("set maintenance_work_mem = '" + maintenanceWorkMem + "'");
            s.execute("set max_parallel_maintenance_workers = 1");
            s.execute("create index " + indexName() + " on bench_chunks using hnsw ((embedding::" + indexKind + "(384)) "
                    + indexKind + "_cosine_ops) with (m = 16, ef_construction = " + efConstruction + ")");
            s.execute("analyze bench_chunks");
        }
        System.out.printf(Locale.ROOT, "- HNSW build %.0f s (%s, ef_construction %d, maintenance_work_mem %s, 1 parallel worker)%n",
                (System.nanoTime() - start) / 1e9, indexKind, efConstruction, maintenanceWorkMem);
    }

    static int[] tenantSizes(int rows) {
        double[] weights = new double[TENANTS];
        double sum = 0;
        for (int t = 0; t < TENANTS; t++) {
            weights[t] = 1.0 / Math.pow(t + 1, 1.1);
            sum += weights[t];
        }
        int[] sizes = new int[TENANTS];
        int assigned = 0;
        for (int t = 0; t < TENANTS; t++) {
            sizes[t] = (int) Math.round(rows * weights[t] / sum);
            assigned += sizes[t];
        }
        sizes[0] += rows - assigned;
        return sizes;
    }

    static long existingRows(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from bench_chunks")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static String size(Connection c, String expr) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_size_pretty(" + expr + ")")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void ensureDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL + "postgres", "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1 from pg_database where datname = 'concierge_search_bench'")) {
            if (!rs.next()) {
                s.execute("create database concierge_search_bench");
            }
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL + "concierge_search_bench", "postgres", "");
    }

    static float[] gaussian(Random r, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return v;
    }

    static float[] add(float[] a, float[] b) {
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    static String literal(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 8).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    static String indexKind = "vector";
    /** Tenants with at most this many rows are searched exactly, as search-service does (SEARCH_EXACT_MAX_CHUNKS). */
    static int exactMax = 10_000;
    static int[] sizes;
    /** As search-service: tenants above {@code largeFrom} rows search with {@code efLarge} (SEARCH_EF_SEARCH_LARGE). */
    static int efLarge = 300;
    static int largeFrom = 100_000;

    static int efFor(String tenant, int ef) {
        return sizes[Integer.parseInt(tenant.substring(1))] > largeFrom ? Math.max(ef, efLarge) : ef;
    }
    static int efConstruction = 64;
    static String maintenanceWorkMem;

    static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }
}
