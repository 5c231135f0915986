package dev.concierge.gateway.health;

import java.net.URI;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.concierge.gateway.config.GatewayProperties;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asks a service whether it is ready: {@code GET <base>/actuator/health/readiness}. */
@Component
public class ServiceHealthClient {

    private static final Logger log = LoggerFactory.getLogger(ServiceHealthClient.class);
    static final String READINESS_PATH = "/actuator/health/readiness";

    private final WebClient webClient;
    private final JsonMapper jsonMapper;
    private final Duration timeout;

    public ServiceHealthClient(GatewayProperties properties, JsonMapper jsonMapper) {
        this.timeout = properties.healthTimeout();
        this.jsonMapper = jsonMapper;
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeout.toMillis()))
                .responseTimeout(timeout);
        this.webClient = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .build();
    }

    /**
     * {@code true} when the service answers 2xx with {@code "status": "UP"} within the timeout; {@code false}
     * when it answers anything else, fails or is too slow. Never fails.
     */
    public Mono<Boolean> isReady(String name, URI baseUrl) {
        URI readiness = UriComponentsBuilder.fromUri(baseUrl).path(READINESS_PATH).build().toUri();
        return webClient.get()
                .uri(readiness)
                .accept(MediaType.APPLICATION_JSON, MediaType.valueOf("application/vnd.spring-boot.actuator.v3+json"))
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> response.statusCode().is2xxSuccessful() && isUp(body)))
                .timeout(timeout)
                .doOnNext(ready -> {
                    if (!ready) {
                        log.debug("{} at {} is not ready", name, readiness);
                    }
                })
                .onErrorResume(e -> {
                    log.debug("{} at {} did not answer: {}", name, readiness, e.toString());
                    return Mono.just(false);
                });
    }

    private boolean isUp(String body) {
        try {
            JsonNode status = jsonMapper.readTree(body).path("status");
            return "UP".equals(status.asString(""));
        } catch (JacksonException e) {
            return false;
        }
    }
}
