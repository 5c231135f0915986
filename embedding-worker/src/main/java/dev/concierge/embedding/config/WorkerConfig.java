package dev.concierge.embedding.config;

import dev.concierge.embedding.chunking.Chunker;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WorkerConfig {

    @Bean
    Chunker chunker(EmbeddingProperties p) {
        return new Chunker(p.targetWords(), p.maxWords(), p.overlapWords(), p.maxChunksPerPage());
    }
}
