package dev.concierge.embeddings;

import dev.concierge.contracts.EmbeddingModelId;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI {@code text-embedding-3-small} (or any server speaking the OpenAI embeddings wire format at
 * {@code OPENAI_BASE_URL}). Texts go in batches; each request has a timeout, is retried with exponential
 * backoff (embedding is idempotent), and a circuit breaker stops calling a failing endpoint so a backlog
 * does not hammer it: callers get an {@link EmbeddingException} at once and retry later.
 * <p>
 * What is retried: timeouts, connection failures, 429 and 5xx. A 400 is about the texts sent
 * ({@link EmbeddingRejectedException}): neither retried nor held against the endpoint. 401/403/404 (key or
 * model name wrong) and answers of the wrong shape are not retried either, but do count towards opening
 * the circuit, since every later call would fail the same way.
 */
final class OpenAiEmbeddings implements TextEmbeddings {

    private static final Logger log = LoggerFactory.getLogger(OpenAiEmbeddings.class);

    /**
     * How hard to try before giving up on a batch, and when to stop calling the endpoint.
     *
     * @param maxAttempts    attempts per batch, the first included
     * @param firstBackoff   wait after the first failed attempt; doubles (±30 % jitter) after each further one
     * @param breakerWindow  the circuit breaker looks at this many recent calls…
     * @param breakerMinimum …once it has seen at least this many, and opens when half of them failed
     * @param openFor        how long an open circuit fails calls at once before letting a probe through
     */
    record Resilience(int maxAttempts, Duration firstBackoff, int breakerWindow, int breakerMinimum, Duration openFor) {

        static final Resilience DEFAULT = new Resilience(4, Duration.ofMillis(500), 10, 5, Duration.ofSeconds(30));
    }

    private final EmbeddingModelId id;
    private final int batchSize;
    private final EmbeddingModel model;
    private final Retry retry;
    private final CircuitBreaker breaker;

    OpenAiEmbeddings(EmbeddingModelId id, OpenAiSettings settings) {
        this(id, settings, Resilience.DEFAULT);
    }

    OpenAiEmbeddings(EmbeddingModelId id, OpenAiSettings settings, Resilience resilience) {
        this.id = id;
        this.batchSize = settings.batchSize();
        this.model = OpenAiEmbeddingModel.builder()
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey())
                .modelName(id.name())
                .timeout(settings.timeout())
                .maxRetries(0) // retries are ours, with backoff and a breaker around them
                .build();
        this.retry = Retry.of("openai-embeddings", RetryConfig.custom()
                .maxAttempts(resilience.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(resilience.firstBackoff(), 2.0, 0.3))
                .retryOnException(OpenAiEmbeddings::worthRetrying)
                .build());
        this.breaker = CircuitBreaker.of("openai-embeddings", CircuitBreakerConfig.custom()
                .slidingWindowSize(resilience.breakerWindow())
                .minimumNumberOfCalls(resilience.breakerMinimum())
                .failureRateThreshold(50)
                .waitDurationInOpenState(resilience.openFor())
                .ignoreExceptions(InvalidRequestException.class) // the texts' fault, not the endpoint's
                .build());
        this.breaker.getEventPublisher().onStateTransition(e -> log.warn("embeddings endpoint {} circuit: {}",
                settings.baseUrl(), e.getStateTransition()));
    }

    @Override
    public EmbeddingModelId id() {
        return id;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + batchSize)).stream()
                    .map(TextSegment::from).toList();
            out.addAll(embedBatch(batch));
        }
        return out;
    }

    private List<float[]> embedBatch(List<TextSegment> batch) {
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, () -> call(batch))).get();
        } catch (CallNotPermittedException e) {
            throw new EmbeddingException("embeddings endpoint circuit is open after repeated failures", e);
        } catch (InvalidRequestException e) {
            throw new EmbeddingRejectedException("the embeddings endpoint rejected the texts: " + e.getMessage(), e);
        } catch (EmbeddingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EmbeddingException("embeddings endpoint failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** One request; an answer of the wrong shape fails inside the breaker, like any other failed call. */
    private List<float[]> call(List<TextSegment> batch) {
        List<float[]> vectors = model.embedAll(batch).content().stream().map(e -> e.vector()).toList();
        if (vectors.size() != batch.size()) {
            throw new EmbeddingException("the embeddings endpoint returned " + vectors.size() + " vectors for "
                    + batch.size() + " texts");
        }
        for (float[] v : vectors) {
            if (v.length != id.dimension()) {
                throw new EmbeddingException("the embeddings endpoint returned " + v.length
                        + "-dimensional vectors, " + id.name() + " has " + id.dimension());
            }
        }
        return vectors;
    }

    /** Timeouts, connection failures, 429 and 5xx may pass; a wrong key, model or answer will not. */
    private static boolean worthRetrying(Throwable e) {
        return !(e instanceof CallNotPermittedException || e instanceof NonRetriableException
                || e instanceof EmbeddingException);
    }

    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }
}
