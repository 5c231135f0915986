package dev.concierge.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concierge.contracts.EmbeddingModelId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddingModelsTest {

    private static final EmbeddingModelId OPENAI = EmbeddingModelId.OPENAI_TEXT_EMBEDDING_3_SMALL;

    @Test
    void theOpenAiModelNeedsAnApiKey() {
        EmbeddingModels models = new EmbeddingModels(new OpenAiSettings("", null, null, 0));

        assertThat(models.available(OPENAI)).isFalse();
        assertThat(models.available(EmbeddingModelId.MINILM_L6_V2_Q)).isTrue();
        assertThatThrownBy(() -> models.get(OPENAI)).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void createsEachModelOnceWithItsCatalogueName() {
        EmbeddingModels models = new EmbeddingModels(new OpenAiSettings("sk-test", "http://127.0.0.1:9/v1", Duration.ofSeconds(1), 8));

        TextEmbeddings openAi = models.get(OPENAI);

        assertThat(openAi.id().name()).isEqualTo("text-embedding-3-small");
        assertThat(openAi.id().dimension()).isEqualTo(1536);
        assertThat(models.get(EmbeddingModelId.require("TEXT-EMBEDDING-3-SMALL"))).isSameAs(openAi);
    }

    @Test
    void settingsDefaultToOpenAiItself() {
        OpenAiSettings settings = new OpenAiSettings("sk-test", " ", null, 0);

        assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.batchSize()).isEqualTo(96);
    }
}
