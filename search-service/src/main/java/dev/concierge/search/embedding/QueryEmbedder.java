package dev.concierge.search.embedding;

import dev.concierge.contracts.EmbeddingModelId;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Embeds search queries with the same model the embedding-worker indexes with (all-MiniLM-L6-v2,
 * quantised, 384 dimensions). ONNX inference blocks, so it runs on the bounded-elastic scheduler, and
 * recent queries are cached: shoppers ask the same things.
 */
@Component
public class QueryEmbedder {

    public static final String MODEL = EmbeddingModelId.MINILM_L6_V2_Q.name();
    public static final int DIMENSION = EmbeddingModelId.MINILM_L6_V2_Q.dimension();
    private static final int CACHE_SIZE = 2_000;

    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    private final Map<String, float[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    public Mono<float[]> embed(String query) {
        float[] cached = cache.get(query);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.fromCallable(() -> {
            float[] vector = model.embed(query).content().vector();
            cache.put(query, vector);
            return vector;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** pgvector's text form, {@code [0.1,0.2,...]}. */
    public static String literal(float[] vector) {
        StringBuilder sb = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(vector[i]);
        }
        return sb.append(']').toString();
    }
}
