package dev.concierge.chat.retrieval;

import dev.concierge.chat.config.ChatProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Retrieval through search-service's hybrid search: every passage (not one per page), with a timeout,
 * retries with backoff for transient failures (GET is idempotent) and a circuit breaker so a struggling
 * search-service is not hammered.
 */
@Component
public class SearchClient {

    /** search-service answers 400 to longer queries; a chat message may be up to 4,000 characters. */
    static final int MAX_QUERY_LENGTH = 1_000;

    private final WebClient web;
    private final ChatProperties props;
    private final CircuitBreaker breaker = CircuitBreaker.of("search-service", CircuitBreakerConfig.custom()
            .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10)).build());

    public SearchClient(WebClient.Builder builder, ChatProperties props) {
        this.web = builder.baseUrl(props.searchServiceUrl()).build();
        this.props = props;
    }

    public Mono<List<Passage>> search(String tenantId, String query, int limit) {
        return web.get()
                .uri(b -> b.path("/api/search").queryParam("q", "{q}").queryParam("limit", limit)
                        .queryParam("collapse", false).build(fitted(query)))
                .header("X-Tenant-Id", tenantId)
                .retrieve()
                .bodyToMono(SearchResponse.class)
                .map(r -> r.results() == null ? List.<Passage>of() : r.results())
                .timeout(props.searchTimeout())
                .retryWhen(Retry.backoff(2, Duration.ofMillis(100)).filter(SearchClient::transient_))
                .transformDeferred(CircuitBreakerOperator.of(breaker));
    }

    /** The query cut to what search-service accepts, at a word boundary when there is one near the end. */
    static String fitted(String query) {
        String q = query.strip();
        if (q.length() <= MAX_QUERY_LENGTH) {
            return q;
        }
        int cut = q.lastIndexOf(' ', MAX_QUERY_LENGTH);
        int end = cut > MAX_QUERY_LENGTH - 100 ? cut : MAX_QUERY_LENGTH;
        if (Character.isHighSurrogate(q.charAt(end - 1))) {
            end--;
        }
        return q.substring(0, end).strip();
    }

    private static boolean transient_(Throwable t) {
        return t instanceof IOException || t instanceof TimeoutException
                || t instanceof WebClientResponseException w && w.getStatusCode().is5xxServerError()
                || t.getCause() instanceof IOException;
    }

    record SearchResponse(List<Passage> results) {
    }
}
