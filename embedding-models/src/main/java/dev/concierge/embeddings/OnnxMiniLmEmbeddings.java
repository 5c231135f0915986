package dev.concierge.embeddings;

import dev.concierge.contracts.EmbeddingModelId;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * all-MiniLM-L6-v2, quantised, in-process ONNX: no network, 384 dimensions, the default.
 * <p>
 * The vectors are those of LangChain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel} (same model file,
 * tokenizer and arithmetic, see {@link MiniLmEncoder}; vectors already indexed stay comparable with new
 * ones), computed with other threading. LangChain4j runs one text per core at a time, each on an ONNX
 * session with ONNX Runtime's default thread pool (a thread per core, spin-waiting between operators), so
 * on 2 cores four busy threads share two cores. Here the session runs each text on the calling thread
 * alone (intra-op threads = 1: no pool, nothing spins) and {@code availableProcessors} texts run at a
 * time: on the 2-core reference machine 130 texts/s of chunk-sized text instead of LangChain4j's 69, and
 * no idle spinning taking CPU from the services beside it. Intra-op threads = cores with a text at a time
 * was measured too and is slower, as is every batched run ({@code docs/bench/EmbeddingThroughputBench.java}).
 * <p>
 * Thread-safe. The texts of a list go to worker threads shared by all callers, so lists from any number of
 * callers run at most a text per core at a time; a single text (a search query) runs on the caller's
 * thread, as in LangChain4j. Texts LangChain4j would split into partitions (more than 510 word pieces,
 * which its tokenizer's truncation at 128 tokens rules out today) go to LangChain4j's own model, loaded
 * only then.
 */
final class OnnxMiniLmEmbeddings implements TextEmbeddings {

    private final MiniLmEncoder encoder;
    private final ExecutorService workers;
    private final Function<String, float[]> partitioned;

    OnnxMiniLmEmbeddings() {
        this(new MiniLmEncoder(1, MiniLmEncoder.TOKENIZER_OPTIONS), Runtime.getRuntime().availableProcessors(),
                OnnxMiniLmEmbeddings::byLangChain4j);
    }

    /**
     * @param parallelTexts how many texts may run at once (worker threads)
     * @param partitioned   embeds a text LangChain4j would split into partitions
     */
    OnnxMiniLmEmbeddings(MiniLmEncoder encoder, int parallelTexts, Function<String, float[]> partitioned) {
        this.encoder = encoder;
        this.partitioned = partitioned;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelTexts, parallelTexts, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("minilm-embed-"));
        pool.allowCoreThreadTimeOut(true); // an idle service keeps no threads
        this.workers = pool;
    }

    @Override
    public EmbeddingModelId id() {
        return EmbeddingModelId.MINILM_L6_V2_Q;
    }

    /**
     * @throws IllegalArgumentException for a text without any token (empty or whitespace only), as LangChain4j
     * @throws IllegalStateException    when ONNX Runtime fails
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        if (texts.size() == 1) {
            return List.of(embedOne(texts.get(0)));
        }
        List<Future<float[]>> pending = new ArrayList<>(texts.size());
        for (String text : texts) {
            pending.add(workers.submit(() -> embedOne(text)));
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (Future<float[]> vector : pending) {
                vectors.add(vector.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } finally {
            pending.forEach(f -> f.cancel(false)); // after a failure, the texts not started yet are not run
        }
        return List.copyOf(vectors);
    }

    private float[] embedOne(String text) {
        long[] inputIds = encoder.inputIds(text);
        return inputIds == null ? partitioned.apply(text) : encoder.embed(inputIds);
    }

    private static RuntimeException unwrap(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(failure);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static float[] byLangChain4j(String text) {
        return LangChain4j.MODEL.embed(text).content().vector();
    }

    /** LangChain4j's model (a second ONNX session), created on first use only. */
    private static final class LangChain4j {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }
}
