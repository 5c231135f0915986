package dev.concierge.scraper.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error of this service as an RFC 9457 {@code application/problem+json} body ({@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, and for bad input
 * {@code errors: [{field, message}]}), never a stack trace. Runs before Boot's error handler, so it
 * covers controller errors, unknown routes and framework errors alike.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
    static final String TYPE_BASE = "https://concierge.dev/problems/";

    private final JsonMapper json;

    ProblemExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        ApiException problem = toProblem(ex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().contains(":") ? problem.type() : TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", problem.getMessage());
        body.put("instance", exchange.getRequest().getPath().value());
        problem.properties().forEach(body::putIfAbsent);
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors().stream()
                    .map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        byte[] bytes = json.writeValueAsBytes(body);
        var response = exchange.getResponse();
        if (ex instanceof ResponseStatusException rse) {
            response.getHeaders().addAll(rse.getHeaders()); // e.g. Allow on 405
        }
        response.setStatusCode(problem.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    static ApiException toProblem(Throwable ex) {
        if (ex instanceof ApiException api) {
            return api;
        }
        if (ex instanceof ServerWebInputException input) {
            return badInput(input);
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatus status = Objects.requireNonNullElse(HttpStatus.resolve(rse.getStatusCode().value()),
                    HttpStatus.INTERNAL_SERVER_ERROR);
            String detail = status == HttpStatus.NOT_FOUND ? "no such resource"
                    : rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
            return new ApiException(status, slug(status), status.getReasonPhrase(), detail, List.of());
        }
        log.error("unexpected error", ex);
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the scraper could not process the request", List.of());
    }

    /** Malformed JSON, or a field of the wrong type (named, when Jackson says which). */
    private static ApiException badInput(ServerWebInputException ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException) {
                return new ApiException(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                        "the request body is not valid JSON", List.of());
            }
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                String field = jackson.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : String.valueOf(r.getIndex()))
                        .collect(Collectors.joining("."));
                return ApiException.invalid(field, "has the wrong type");
            }
        }
        String reason = ex.getReason() != null ? ex.getReason() : "the request could not be read";
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", reason, List.of());
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus s = HttpStatus.resolve(status.value());
        return s == null ? "error" : s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
