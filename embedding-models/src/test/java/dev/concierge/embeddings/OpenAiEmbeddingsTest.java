package dev.concierge.embeddings;

import static dev.concierge.embeddings.FakeOpenAiEndpoint.RATE_LIMITED;
import static dev.concierge.embeddings.FakeOpenAiEndpoint.SERVER_ERROR;
import static dev.concierge.embeddings.FakeOpenAiEndpoint.TOO_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.concierge.contracts.EmbeddingModelId;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI adapter against a local server speaking the embeddings wire format: batching, retries,
 * the circuit breaker, timeouts and answers that do not fit the model. Backoffs are milliseconds here
 * instead of the production half second, so the test stays quick; nothing is asserted about time.
 */
class OpenAiEmbeddingsTest {

    private static final EmbeddingModelId MODEL = EmbeddingModelId.OPENAI_TEXT_EMBEDDING_3_SMALL;
    private static final OpenAiEmbeddings.Resilience QUICK =
            new OpenAiEmbeddings.Resilience(4, Duration.ofMillis(10), 10, 5, Duration.ofMinutes(5));

    private FakeOpenAiEndpoint openAi;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAiEndpoint();
    }

    @AfterEach
    void stop() {
        openAi.close();
    }

    private OpenAiEmbeddings embeddings(Duration timeout, int batchSize, OpenAiEmbeddings.Resilience resilience) {
        return new OpenAiEmbeddings(MODEL, new OpenAiSettings("sk-test", openAi.baseUrl(), timeout, batchSize), resilience);
    }

    private OpenAiEmbeddings embeddings() {
        return embeddings(Duration.ofSeconds(10), 96, QUICK);
    }

    @Test
    void embedsInBatchesAndKeepsTheTextsOrder() {
        List<String> texts = IntStream.range(0, 250).mapToObj(i -> "chunk " + i + " about bike lights").toList();

        List<float[]> vectors = embeddings().embedAll(texts);

        assertThat(openAi.requests()).extracting(r -> r.input().size()).containsExactly(96, 96, 58);
        assertThat(openAi.requests()).flatExtracting(FakeOpenAiEndpoint.Request::input).containsExactlyElementsOf(texts);
        assertThat(openAi.requests()).allSatisfy(r -> {
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.authorization()).isEqualTo("Bearer sk-test");
            assertThat(r.body().has("dimensions")).as("text-embedding-3-small is 1536-d by default").isFalse();
        });
        assertThat(vectors).hasSize(250);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).as("vector %d", i).containsExactly(FakeOpenAiEndpoint.vectorFor(texts.get(i), 1536));
        }
    }

    @Test
    void embedsOneTextAndNothingForNoTexts() {
        OpenAiEmbeddings embeddings = embeddings();

        assertThat(embeddings.embedAll(List.of())).isEmpty();
        assertThat(openAi.requests()).isEmpty();
        assertThat(embeddings.embed("free shipping")).containsExactly(FakeOpenAiEndpoint.vectorFor("free shipping", 1536));
        assertThat(embeddings.id()).isEqualTo(MODEL);
    }

    @Test
    void retriesARateLimitedRequest() {
        openAi.then(RATE_LIMITED);

        float[] vector = embeddings().embed("returns within 30 days");

        assertThat(vector).containsExactly(FakeOpenAiEndpoint.vectorFor("returns within 30 days", 1536));
        assertThat(openAi.requests()).hasSize(2)
                .allSatisfy(r -> assertThat(r.input()).containsExactly("returns within 30 days"));
    }

    @Test
    void retriesServerErrorsUntilTheEndpointAnswers() {
        openAi.then(2, SERVER_ERROR);
        OpenAiEmbeddings embeddings = embeddings();

        assertThat(embeddings.embedAll(List.of("a", "b"))).hasSize(2);
        assertThat(openAi.requests()).hasSize(3);
        assertThat(embeddings.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void givesUpWithAnEmbeddingExceptionAfterItsLastAttempt() {
        openAi.then(4, SERVER_ERROR);

        assertThatThrownBy(() -> embeddings().embed("anything"))
                .isInstanceOf(EmbeddingException.class)
                .isNotInstanceOf(EmbeddingRejectedException.class)
                .hasMessageContaining("InternalServerException");
        assertThat(openAi.requests()).hasSize(4);
    }

    @Test
    void opensTheCircuitAfterRepeatedFailuresAndThenFailsFastWithoutCallingTheEndpoint() {
        openAi.then(100, SERVER_ERROR);
        OpenAiEmbeddings embeddings = embeddings(Duration.ofSeconds(10), 96,
                new OpenAiEmbeddings.Resilience(2, Duration.ofMillis(10), 4, 4, Duration.ofMinutes(5)));

        for (int call = 0; call < 10 && embeddings.circuitState() != CircuitBreaker.State.OPEN; call++) {
            assertThatThrownBy(() -> embeddings.embed("anything")).isInstanceOf(EmbeddingException.class);
        }
        assertThat(embeddings.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        int requestsBeforeOpening = openAi.requests().size();
        assertThat(requestsBeforeOpening).isEqualTo(4); // two calls of two attempts fill the breaker's window

        for (int call = 0; call < 3; call++) {
            Throwable failure = catchThrowable(() -> embeddings.embedAll(List.of("a", "b")));
            assertThat(failure).isInstanceOf(EmbeddingException.class).hasMessageContaining("circuit is open")
                    .hasCauseInstanceOf(CallNotPermittedException.class);
        }
        assertThat(openAi.requests()).hasSize(requestsBeforeOpening);
    }

    @Test
    void aSlowEndpointTimesOutAndIsRetried() {
        openAi.then(new FakeOpenAiEndpoint.Slow(), new FakeOpenAiEndpoint.Slow());
        OpenAiEmbeddings embeddings = embeddings(Duration.ofMillis(300), 96,
                new OpenAiEmbeddings.Resilience(2, Duration.ofMillis(10), 10, 5, Duration.ofMinutes(5)));

        Throwable failure = catchThrowable(() -> embeddings.embed("anything"));

        assertThat(failure).isInstanceOf(EmbeddingException.class)
                .hasRootCauseInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(failure.getCause()).isInstanceOf(dev.langchain4j.exception.TimeoutException.class);
        assertThat(openAi.requests()).hasSize(2);
    }

    @Test
    void rejectsVectorsOfTheWrongDimensionWithoutRetrying() {
        openAi.then(new FakeOpenAiEndpoint.Dimension(384));

        assertThatThrownBy(() -> embeddings().embedAll(List.of("a", "b")))
                .isInstanceOf(EmbeddingException.class)
                .isNotInstanceOf(EmbeddingRejectedException.class)
                .hasMessageContaining("384-dimensional").hasMessageContaining("text-embedding-3-small has 1536");
        assertThat(openAi.requests()).hasSize(1);
    }

    @Test
    void textsTheModelRefusesAreNeitherRetriedNorHeldAgainstTheEndpoint() {
        openAi.then(6, TOO_LONG);
        OpenAiEmbeddings embeddings = embeddings();

        for (int call = 0; call < 6; call++) {
            assertThatThrownBy(() -> embeddings.embed("a very long text"))
                    .isInstanceOf(EmbeddingRejectedException.class).hasMessageContaining("maximum context length");
        }
        assertThat(openAi.requests()).hasSize(6);
        assertThat(embeddings.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(embeddings.embed("short")).hasSize(1536);
    }
}
