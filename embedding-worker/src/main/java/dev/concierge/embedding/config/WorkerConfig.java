package dev.concierge.embedding.config;

import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embedding.chunking.Chunker;
import dev.concierge.embeddings.EmbeddingException;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import dev.concierge.embeddings.TextEmbeddings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.listener.CommonDelegatingErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class WorkerConfig {

    private static final Logger log = LoggerFactory.getLogger(WorkerConfig.class);

    @Bean
    Chunker chunker(EmbeddingProperties p) {
        return new Chunker(p.targetWords(), p.maxWords(), p.overlapWords(), p.maxChunksPerPage());
    }

    /** The one model this worker embeds with ({@code EMBEDDING_MODEL}); a remote one needs its key. */
    @Bean
    TextEmbeddings textEmbeddings(EmbeddingProperties p) {
        EmbeddingModelId id = p.modelId();
        EmbeddingModels models = new EmbeddingModels(new OpenAiSettings(p.openai().apiKey(), p.openai().baseUrl(),
                p.openai().timeout(), p.batchSize()));
        if (!models.available(id)) {
            throw new IllegalStateException("EMBEDDING_MODEL=" + id.name() + " needs OPENAI_API_KEY (and "
                    + "OPENAI_BASE_URL for a server other than OpenAI's); it is not set");
        }
        log.info("embedding chunks with {} ({} dimensions)", id.name(), id.dimension());
        return models.get(id);
    }

    /**
     * service-kit's listener error policy, plus one case: a model that cannot embed now
     * ({@link EmbeddingException}: remote model down, rate limited past our retries, circuit open) is not the
     * page's fault. Such a page is retried with backoff (1 s doubling to 30 s) for as long as the outage
     * lasts, holding its partition, never dead-lettered nor reported failed: nothing is lost, and the
     * consumer lag shows the outage. Every other failure keeps the kit's policy (a few tries, then the
     * dead-letter topic).
     */
    @Bean
    @Primary
    CommonDelegatingErrorHandler listenerErrorsWaitingOutModelOutages(DefaultErrorHandler kafkaErrorHandler) {
        ExponentialBackOff untilTheModelIsBack = new ExponentialBackOff(1_000, 2.0);
        untilTheModelIsBack.setMaxInterval(30_000);
        CommonDelegatingErrorHandler handler = new CommonDelegatingErrorHandler(kafkaErrorHandler);
        handler.setCauseChainTraversing(true);
        handler.addDelegate(EmbeddingException.class, new DefaultErrorHandler(untilTheModelIsBack));
        return handler;
    }
}
