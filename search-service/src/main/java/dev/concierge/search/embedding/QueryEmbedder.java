package dev.concierge.search.embedding;

import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Embeds search queries with the model that embedded the chunks they are compared with: a tenant's index
 * holds the configured model's vectors ({@code EMBEDDING_MODEL}, the one the embedding-worker uses), and
 * during a model switch also the previous model's, so a query may be embedded by each. Inference blocks,
 * so it runs on the bounded-elastic scheduler, and recent queries are cached per model: shoppers ask the
 * same things.
 */
@Component
public class QueryEmbedder {

    private static final int CACHE_SIZE = 2_000;

    private final EmbeddingModels models;
    private final EmbeddingModelId configured;
    private final Map<String, float[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    public QueryEmbedder(EmbeddingModels models, EmbeddingModelId configured) {
        this.models = models;
        this.configured = configured;
    }

    /** The model new pages are embedded with. */
    public EmbeddingModelId configured() {
        return configured;
    }

    /** Whether this process can embed queries for the model (a remote model needs its API key here too). */
    public boolean canEmbed(EmbeddingModelId model) {
        return models.available(model);
    }

    public Mono<float[]> embed(EmbeddingModelId model, String query) {
        String key = model.name() + '\n' + query;
        float[] cached = cache.get(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.fromCallable(() -> {
            float[] vector = models.get(model).embed(query);
            cache.put(key, vector);
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
