package dev.concierge.chat.agent;

import dev.concierge.chat.answering.OfflineResponder;
import dev.concierge.chat.intent.IntentRouter;
import dev.concierge.chat.tools.StoreTools;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import dev.concierge.embeddings.TextEmbeddings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The offline agent's parts. Intents are routed with the in-process MiniLM model (the index's default
 * model; routing needs no remote call whatever {@code EMBEDDING_MODEL} says), loaded and its exemplars
 * embedded at start-up so the first message does not wait for them.
 */
@Configuration(proxyBeanMethods = false)
class AgentConfig {

    private static final Logger log = LoggerFactory.getLogger(AgentConfig.class);

    @Bean
    IntentRouter intentRouter() {
        TextEmbeddings minilm = new EmbeddingModels(new OpenAiSettings(null, null, null, 0)).get(EmbeddingModelId.MINILM_L6_V2_Q);
        return new IntentRouter(minilm::embedAll);
    }

    @Bean
    ShopAgent shopAgent(IntentRouter router, StoreTools tools, OfflineResponder offline) {
        return new ShopAgent(router, tools, offline);
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp(ApplicationReadyEvent ready) {
        try {
            ready.getApplicationContext().getBean(IntentRouter.class).route("where is my parcel", null);
        } catch (RuntimeException e) {
            log.warn("could not warm up intent routing: {}", e.toString());
        }
    }
}
