package dev.concierge.search.embedding;

import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The query side of the embedding port: the same catalogue and settings the embedding-worker uses. */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfig.class);

    @Bean
    EmbeddingModelId configuredEmbeddingModel(@Value("${concierge.embedding.model}") String name) {
        return EmbeddingModelId.require(name);
    }

    @Bean
    EmbeddingModels embeddingModels(@Value("${concierge.embedding.openai.api-key:}") String apiKey,
                                    @Value("${concierge.embedding.openai.base-url:}") String baseUrl,
                                    @Value("${concierge.embedding.openai.timeout:10s}") Duration timeout,
                                    EmbeddingModelId configured) {
        EmbeddingModels models = new EmbeddingModels(new OpenAiSettings(apiKey, baseUrl, timeout, 16));
        if (!models.available(configured)) {
            throw new IllegalStateException("EMBEDDING_MODEL=" + configured.name()
                    + " needs OPENAI_API_KEY in search-service too: queries are embedded with the pages' model");
        }
        return models;
    }

    /** Loads the configured model before the first query needs it (the in-process model takes a second). */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp(ApplicationReadyEvent ready) {
        QueryEmbedder embedder = ready.getApplicationContext().getBean(QueryEmbedder.class);
        try {
            embedder.embed(embedder.configured(), "warm up").block(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            log.warn("could not warm up embedding model {}: {}", embedder.configured().name(), e.toString());
        }
    }
}
