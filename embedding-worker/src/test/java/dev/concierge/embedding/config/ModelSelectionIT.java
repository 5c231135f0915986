package dev.concierge.embedding.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.concierge.embedding.EmbeddingWorkerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A worker that cannot embed with the model it is told to use does not start: it would otherwise publish
 * vectors of a model nobody asked for, or fail every page. Both failures happen before Kafka is touched.
 */
class ModelSelectionIT {

    private static Throwable startWith(String... args) {
        String[] common = {"--spring.main.banner-mode=off", "--server.port=0",
                "--spring.kafka.bootstrap-servers=127.0.0.1:1"};
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return catchThrowable(() -> new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(all).close());
    }

    @Test
    void anUnknownModelNameStopsStartupNamingTheKnownOnes() {
        Throwable failure = startWith("--EMBEDDING_MODEL=text-embedding-ada-002");

        assertThat(failure).isNotNull().rootCause()
                .hasMessageContaining("unknown embedding model 'text-embedding-ada-002'")
                .hasMessageContaining("all-minilm-l6-v2-q").hasMessageContaining("text-embedding-3-small");
    }

    @Test
    void theOpenAiModelWithoutAnApiKeyStopsStartup() {
        Throwable failure = startWith("--EMBEDDING_MODEL=text-embedding-3-small", "--OPENAI_API_KEY=");

        assertThat(failure).isNotNull().rootCause()
                .hasMessageContaining("EMBEDDING_MODEL=text-embedding-3-small needs OPENAI_API_KEY");
    }
}
