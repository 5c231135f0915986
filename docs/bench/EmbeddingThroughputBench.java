import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.TextEmbeddings;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Embedding throughput of all-MiniLM-L6-v2 (quantised, in-process ONNX) on 1,000 texts shaped like our
 * chunks, and how far each way of running the model strays from LangChain4j's vectors.
 *
 * <pre>
 * # from the repository root; the classpath file ends up with embedding-models' (contracts from the reactor)
 * mvn -q -pl embedding-models -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/embedding-models.cp
 * java -cp "embedding-models/target/classes:$(cat /tmp/embedding-models.cp)" \
 *      docs/bench/EmbeddingThroughputBench.java [--texts 1000] [--rounds 3]
 * </pre>
 *
 * The texts come from a deterministic generator (seed 42): 80–150 words of shop prose (products,
 * materials, sizes, prices, delivery, returns), a title in front as embedding-worker's chunks have.
 * Ways of running the model, each over all texts, {@code --rounds} times, interleaved round by round so
 * that load from other processes on a shared machine falls on all of them alike:
 * <ul>
 *   <li>LangChain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel.embedAll}: one ONNX run per text, texts
 *       spread over its default executor (one thread per core), ONNX Runtime's default session options;
 *       and the same with a same-thread executor (texts one after the other);</li>
 *   <li>{@code OnnxMiniLmEmbeddings} as shipped (through {@code EmbeddingModels});</li>
 *   <li>one ONNX run per text on a session of our own: intra-op threads = cores and texts one after the
 *       other, or intra-op threads = 1 and one text per core at a time; with and without spin-waiting;</li>
 *   <li>batched: texts sorted by token count, batches of B padded to the longest, one run of [B, L],
 *       mean over the attention mask, L2 normalisation; B = 1, 8, 16, 32, 64 with intra-op threads = cores,
 *       B = 8 and 32 with intra-op threads = 1 and a batch per core at a time.</li>
 * </ul>
 * Every way's vectors are compared with LangChain4j's (first round): the smallest cosine over all texts
 * and the largest difference of one component (0 when every vector is bit for bit LangChain4j's).
 * Then 200 short queries (4–12 words) one call at a time, as search-service embeds them: the median
 * latency of LangChain4j's {@code embed} and of ours. Prints Markdown tables: texts/s and milliseconds
 * as the median of the rounds and their range, and texts per CPU-second of this process (less sensitive to
 * other processes on a shared machine than wall-clock time, and charging spin-waiting to the way that
 * spins). Progress goes to stderr.
 */
public class EmbeddingThroughputBench {

    static final String MODEL = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    public static void main(String[] args) throws Exception {
        int count = intArg(args, "--texts", 1_000);
        int rounds = intArg(args, "--rounds", 3);
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> texts = ShopText.generate(count, 42);

        EmbeddingModel langChain4j = new AllMiniLmL6V2QuantizedEmbeddingModel();
        EmbeddingModel langChain4jSameThread = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        TextEmbeddings shipped = new EmbeddingModels(null).get(EmbeddingModelId.MINILM_L6_V2_Q);
        Engine intraAll = new Engine(cores, true);
        Engine intraAllNoSpin = new Engine(cores, false);
        Engine intraOne = new Engine(1, true);
        Engine intraOneNoSpin = new Engine(1, false);
        ExecutorService perCore = Executors.newFixedThreadPool(cores);

        Map<String, Function<List<String>, List<float[]>>> ways = new LinkedHashMap<>();
        ways.put("LangChain4j embedAll (its default: a thread per core, ORT defaults)", t -> vectors(langChain4j, t));
        ways.put("LangChain4j embedAll, same-thread executor", t -> vectors(langChain4jSameThread, t));
        ways.put("OnnxMiniLmEmbeddings as shipped", shipped::embedAll);
        ways.put("per text, intra-op " + cores + ", one text at a time", intraAll::embedOneByOne);
        ways.put("per text, intra-op " + cores + ", one text at a time, no spinning", intraAllNoSpin::embedOneByOne);
        ways.put("per text, intra-op 1, " + cores + " texts at a time", t -> intraOne.embedConcurrently(t, perCore));
        ways.put("per text, intra-op 1, " + cores + " texts at a time, no spinning",
                t -> intraOneNoSpin.embedConcurrently(t, perCore));
        for (int b : new int[] {1, 8, 16, 32, 64}) {
            ways.put("batched, B = " + b + ", intra-op " + cores + ", one batch at a time",
                    t -> intraAll.embedBatched(t, b, null));
        }
        for (int b : new int[] {8, 32}) {
            ways.put("batched, B = " + b + ", intra-op 1, " + cores + " batches at a time",
                    t -> intraOne.embedBatched(t, b, perCore));
        }

        for (var way : ways.values()) { // warm up: load every session, JIT the Java side
            way.apply(texts.subList(0, 40));
        }
        List<float[]> reference = vectors(langChain4j, texts);
        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, double[]> perCpuSecond = new LinkedHashMap<>();
        Map<String, Double> minCosine = new LinkedHashMap<>();
        Map<String, Double> maxDifference = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (var way : ways.entrySet()) {
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                List<float[]> out = way.getValue().apply(texts);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                rates.computeIfAbsent(way.getKey(), k -> new double[rounds])[round] = texts.size() / seconds;
                perCpuSecond.computeIfAbsent(way.getKey(), k -> new double[rounds])[round] = texts.size() / cpuSeconds;
                minCosine.merge(way.getKey(), minCosine(reference, out), Math::min);
                maxDifference.merge(way.getKey(), maxDifference(reference, out), Math::max);
                System.err.printf(Locale.ROOT, "round %d  %-70s %7.1f texts/s %7.1f texts/CPU-s%n", round + 1,
                        way.getKey(), texts.size() / seconds, texts.size() / cpuSeconds);
            }
        }
        perCore.shutdown();

        // one short query at a time, as search-service embeds them: latency, not throughput
        List<String> queries = ShopText.queries(200, 7);
        Map<String, Function<String, float[]>> single = new LinkedHashMap<>();
        single.put("LangChain4j embed(query)", q -> langChain4j.embed(q).content().vector());
        single.put("OnnxMiniLmEmbeddings as shipped, embed(query)", shipped::embed);
        Map<String, double[]> latencies = new LinkedHashMap<>();
        for (var way : single.values()) {
            queries.subList(0, 20).forEach(way::apply);
        }
        for (int round = 0; round < rounds; round++) {
            for (var way : single.entrySet()) {
                double[] ms = new double[queries.size()];
                for (int i = 0; i < ms.length; i++) {
                    long start = System.nanoTime();
                    way.getValue().apply(queries.get(i));
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
                latencies.computeIfAbsent(way.getKey(), k -> new double[rounds])[round] = median(ms);
            }
        }

        int[] tokens = texts.stream().mapToInt(t -> intraAll.tokenizer.tokenize(t).size()).toArray();
        IntSummary words = IntSummary.of(texts.stream().mapToInt(t -> t.split("\\s+").length).toArray());
        System.out.printf(Locale.ROOT, "%d texts, %s words; %d cores (shared machine: other processes ran), "
                        + "%d rounds, interleaved%n", texts.size(), words, cores, rounds);
        System.out.printf(Locale.ROOT, "tokens per text after the tokenizer's truncation: %s; %d of %d texts "
                        + "reach the 128-token limit (their tail is not embedded)%n%n", IntSummary.of(tokens),
                Arrays.stream(tokens).filter(n -> n >= 128).count(), texts.size());
        System.out.println("| way | texts/s (median) | range of " + rounds + " | vs LangChain4j "
                + "| texts per CPU-second (median) | min cosine to LangChain4j | max component difference |");
        System.out.println("|---|---|---|---|---|---|---|");
        double base = median(rates.values().iterator().next());
        for (var e : rates.entrySet()) {
            double[] r = e.getValue().clone();
            Arrays.sort(r);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f–%.1f | %+.0f %% | %.1f | %.6f | %.1e |%n", e.getKey(),
                    median(r), r[0], r[r.length - 1], 100 * (median(r) / base - 1),
                    median(perCpuSecond.get(e.getKey())), minCosine.get(e.getKey()), maxDifference.get(e.getKey()));
        }
        System.out.printf(Locale.ROOT, "%n%d short queries (4–12 words) one at a time, median latency per round%n%n",
                queries.size());
        System.out.println("| way | median ms (median of rounds) | range of " + rounds + " |");
        System.out.println("|---|---|---|");
        for (var e : latencies.entrySet()) {
            double[] r = e.getValue().clone();
            Arrays.sort(r);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f–%.2f |%n", e.getKey(), median(r), r[0], r[r.length - 1]);
        }
        System.exit(0); // LangChain4j's executor threads time out on their own; do not wait for them
    }

    static List<float[]> vectors(EmbeddingModel model, List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toList();
    }

    /**
     * The model file and tokenizer LangChain4j ships, tokenised exactly as its {@code OnnxBertBiEncoder}
     * does (same tokenizer options, same round trip through {@code buildSentence}), on a session of our own.
     */
    static final class Engine {

        final OrtEnvironment env = OrtEnvironment.getEnvironment();
        final OrtSession session;
        final HuggingFaceTokenizer tokenizer;

        Engine(int intraOpThreads, boolean spinning) throws OrtException, IOException {
            ClassLoader loader = EmbeddingThroughputBench.class.getClassLoader();
            try (InputStream model = loader.getResourceAsStream(MODEL);
                 InputStream tokens = loader.getResourceAsStream(TOKENIZER);
                 OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(intraOpThreads);
                options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
                session = env.createSession(model.readAllBytes(), options);
                tokenizer = HuggingFaceTokenizer.newInstance(tokens, Map.of("padding", "false"));
            }
        }

        /** LangChain4j's input ids for a text of at most one partition (the tokenizer stops at 128 anyway). */
        long[] ids(String text) {
            List<String> tokens = tokenizer.tokenize(text);
            List<String> inner = new ArrayList<>(tokens.subList(1, tokens.size() - 1));
            String sentence = tokenizer.buildSentence(inner);
            List<String> again = new LinkedList<>(tokenizer.tokenize(sentence));
            again.remove(0);
            again.remove(again.size() - 1);
            String input = again.equals(inner) ? sentence : String.join("", inner);
            return tokenizer.encode(input, true, false).getIds();
        }

        List<float[]> embedOneByOne(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                out.add(run(List.of(ids(text))).get(0));
            }
            return out;
        }

        List<float[]> embedConcurrently(List<String> texts, ExecutorService pool) {
            List<Future<float[]>> futures = texts.stream()
                    .map(t -> pool.submit(() -> run(List.of(ids(t))).get(0))).toList();
            List<float[]> out = new ArrayList<>(texts.size());
            for (Future<float[]> f : futures) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }

        /** Sorted by token count, batches of {@code batchSize}; on {@code pool} if given, else here. */
        List<float[]> embedBatched(List<String> texts, int batchSize, ExecutorService pool) {
            long[][] ids = texts.stream().map(this::ids).toArray(long[][]::new);
            Integer[] order = new Integer[texts.size()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
            float[][] out = new float[texts.size()][];
            List<Future<?>> pending = new ArrayList<>();
            for (int start = 0; start < order.length; start += batchSize) {
                int from = start;
                Runnable batchRun = () -> {
                    List<long[]> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(order.length, from + batchSize); i++) {
                        batch.add(ids[order[i]]);
                    }
                    List<float[]> vectors = run(batch);
                    for (int i = 0; i < vectors.size(); i++) {
                        out[order[from + i]] = vectors.get(i);
                    }
                };
                if (pool == null) {
                    batchRun.run();
                } else {
                    pending.add(pool.submit(batchRun));
                }
            }
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return Arrays.asList(out);
        }

        /** One ONNX run over the texts padded to the longest; mean over real tokens, then L2 norm. */
        List<float[]> run(List<long[]> batch) {
            int rows = batch.size();
            int length = batch.stream().mapToInt(r -> r.length).max().orElseThrow();
            long[] inputIds = new long[rows * length];
            long[] mask = new long[rows * length];
            long[] typeIds = new long[rows * length];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(batch.get(r), 0, inputIds, r * length, batch.get(r).length);
                Arrays.fill(mask, r * length, r * length + batch.get(r).length, 1L);
            }
            long[] shape = {rows, length};
            try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
                 OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                 OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(typeIds), shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", attention,
                         "token_type_ids", types))) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> out = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    int n = batch.get(r).length;
                    float[] sum = new float[hidden[r][0].length];
                    for (int t = 0; t < n; t++) {
                        for (int d = 0; d < sum.length; d++) {
                            sum[d] += hidden[r][t][d];
                        }
                    }
                    float norm = 0;
                    for (int d = 0; d < sum.length; d++) {
                        sum[d] /= n;
                        norm += sum[d] * sum[d];
                    }
                    float length2 = (float) Math.sqrt(norm);
                    for (int d = 0; d < sum.length; d++) {
                        sum[d] /= length2;
                    }
                    out.add(sum);
                }
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Deterministic shop prose: sentences drawn from templates until the text has 80–150 words. */
    static final class ShopText {

        static final String[] PRODUCTS = {"linen shirt", "merino jumper", "waterproof jacket", "leather boots",
                "canvas tote", "ceramic mug", "oak side table", "cotton duvet cover", "running shoes",
                "stainless steel bottle", "wool scarf", "denim jeans", "rain hat", "yoga mat", "desk lamp"};
        static final String[] MATERIALS = {"organic cotton", "recycled polyester", "full-grain leather",
                "European linen", "solid oak", "stoneware", "extra-fine merino wool", "natural rubber"};
        static final String[] COLOURS = {"navy", "forest green", "sand", "charcoal", "rust", "off-white", "black",
                "sky blue"};
        static final String[] SENTENCES = {
            "The %P is made from %M and comes in %C, %C and %C.",
            "Our %P weighs %N grams and is designed to last for years of everyday use.",
            "Free standard delivery on orders over £%N; express delivery arrives the next working day.",
            "You can return any unworn item within %N days for a full refund, no questions asked.",
            "The %P fits true to size: if you are between sizes, we recommend ordering the larger one.",
            "Machine wash at 30 degrees, do not tumble dry, and iron on a low setting if needed.",
            "Each %P is finished by hand in our workshop, so small variations in %M are part of its character.",
            "Customers say the %C %P is comfortable from the first day and keeps its shape after washing.",
            "Sizes run from XS to XXL; see the size guide for chest, waist and length measurements in centimetres.",
            "The price is £%N.%N including VAT, and members earn %N points with every purchase.",
            "We ship to the UK, the EU and North America; customs duties may apply outside the UK.",
            "Questions about your order? Our support team answers email within %N hours, Monday to Saturday.",
            "Pair the %P with our %P for a look that works from the office to the weekend.",
            "Made in Portugal in a family-run factory that pays a living wage and runs on solar power.",
            "Limited stock: only %N left in %C, so order soon if you want it before the holidays.",
        };

        static List<String> generate(int count, long seed) {
            Random random = new Random(seed);
            List<String> texts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int target = 80 + random.nextInt(71);
                String product = pick(random, PRODUCTS);
                StringBuilder text = new StringBuilder(capitalise(product)).append(" | Shop. ");
                int words = 0;
                while (words < target) {
                    String sentence = fill(random, pick(random, SENTENCES), product);
                    String[] parts = sentence.split(" ");
                    int take = Math.min(parts.length, target - words);
                    text.append(String.join(" ", Arrays.copyOf(parts, take))).append(' ');
                    words += take;
                }
                texts.add(text.toString().strip());
            }
            return texts;
        }

        static List<String> queries(int count, long seed) {
            Random random = new Random(seed);
            List<String> queries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] words = fill(random, pick(random, SENTENCES), pick(random, PRODUCTS)).split(" ");
                queries.add(String.join(" ", Arrays.copyOf(words, Math.min(words.length, 4 + random.nextInt(9)))));
            }
            return queries;
        }

        static String fill(Random random, String template, String product) {
            String out = template.replaceFirst("%P", product);
            while (out.contains("%")) {
                int at = out.indexOf('%');
                String value = switch (out.charAt(at + 1)) {
                    case 'P' -> pick(random, PRODUCTS);
                    case 'M' -> pick(random, MATERIALS);
                    case 'C' -> pick(random, COLOURS);
                    default -> Integer.toString(2 + random.nextInt(480));
                };
                out = out.substring(0, at) + value + out.substring(at + 2);
            }
            return out;
        }

        static String pick(Random random, String[] options) {
            return options[random.nextInt(options.length)];
        }

        static String capitalise(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }

    record IntSummary(int min, double mean, int max) {
        static IntSummary of(int[] values) {
            return new IntSummary(Arrays.stream(values).min().orElse(0), Arrays.stream(values).average().orElse(0),
                    Arrays.stream(values).max().orElse(0));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d–%d (mean %.0f)", min, max, mean);
        }
    }

    static double minCosine(List<float[]> a, List<float[]> b) {
        double min = 1;
        for (int i = 0; i < a.size(); i++) {
            double dot = 0, na = 0, nb = 0;
            for (int d = 0; d < a.get(i).length; d++) {
                dot += a.get(i)[d] * b.get(i)[d];
                na += a.get(i)[d] * a.get(i)[d];
                nb += b.get(i)[d] * b.get(i)[d];
            }
            min = Math.min(min, dot / Math.sqrt(na * nb));
        }
        return min;
    }

    /** CPU time of the whole process, ONNX Runtime's native threads included (spin-waiting counts). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double maxDifference(List<float[]> a, List<float[]> b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int d = 0; d < a.get(i).length; d++) {
                max = Math.max(max, Math.abs(a.get(i)[d] - b.get(i)[d]));
            }
        }
        return max;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
