package dev.concierge.gateway.errors;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;

import dev.concierge.gateway.requestid.RequestIdFilter;
import dev.concierge.gateway.resilience.DownstreamGuardFilter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every error the gateway produces as RFC 9457 {@code application/problem+json}: its own refusals
 * ({@link ProblemException}), framework errors (no route, bad method, unreadable body), unreachable or slow
 * services (503/504) and anything unexpected (500, logged, never a stack trace in the response). Responses of
 * the services behind the gateway, error or not, never pass through here: they are proxied untouched.
 */
@Component
@Order(-2) // ahead of Spring Boot's ErrorWebExceptionHandler (-1)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final JsonMapper jsonMapper;

    public ProblemExceptionHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex); // part of a (proxied) response is already out; nothing sane to add
        }
        Problem problem = resolve(ex, exchange);
        byte[] body = jsonMapper.writeValueAsBytes(render(problem.body(), exchange));

        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.addAll(problem.headers());
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    private record Problem(HttpStatusCode status, ProblemDetail body, HttpHeaders headers) {

        static Problem of(HttpStatus status, String detail) {
            ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
            body.setTitle(status.getReasonPhrase());
            return new Problem(status, body, new HttpHeaders());
        }
    }

    private Problem resolve(Throwable ex, ServerWebExchange exchange) {
        if (ex instanceof ProblemException problem) {
            log.debug("{} {} -> {}: {}", method(exchange), path(exchange), problem.getStatusCode(),
                    problem.getBody().getDetail());
            return new Problem(problem.getStatusCode(), problem.getBody(), problem.getHeaders());
        }
        Problem upstream = upstreamFailure(ex, exchange);
        if (upstream != null) {
            log.warn("{} {} -> {}: {}", method(exchange), path(exchange), upstream.status(), describe(ex));
            return upstream;
        }
        if (ex instanceof ServerWebInputException input && jacksonCause(ex) != null) {
            return unreadableJson(jacksonCause(ex), input);
        }
        if (ex instanceof ErrorResponse error && !error.getStatusCode().is5xxServerError()) {
            return frameworkClientError(error, exchange);
        }
        if (causeOf(ex, DataBufferLimitException.class) != null) {
            return Problem.of(HttpStatus.PAYLOAD_TOO_LARGE, "The request body is too large");
        }
        log.error("{} {} failed", method(exchange), path(exchange), ex);
        HttpStatus status = ex instanceof ErrorResponse error && HttpStatus.resolve(error.getStatusCode().value()) != null
                ? HttpStatus.resolve(error.getStatusCode().value())
                : HttpStatus.INTERNAL_SERVER_ERROR;
        return Problem.of(status, "The gateway could not handle the request");
    }

    /**
     * A service behind the gateway that cannot be reached (503, like an open circuit breaker), times out (504) or
     * hangs up (502). Named by its service name, never by host or address.
     */
    private static Problem upstreamFailure(Throwable ex, ServerWebExchange exchange) {
        String service = route(exchange).map(DownstreamGuardFilter::serviceOf).orElse("The service");
        if (causeOf(ex, ConnectTimeoutException.class) != null || causeOf(ex, ConnectException.class) != null
                || causeOf(ex, UnknownHostException.class) != null
                || causeOf(ex, UnresolvedAddressException.class) != null) {
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, service + " is unavailable, try again shortly");
        }
        boolean gatewayTimeout = ex instanceof ErrorResponse error
                && error.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value();
        if (gatewayTimeout || causeOf(ex, TimeoutException.class) != null
                || causeOf(ex, org.springframework.cloud.gateway.support.TimeoutException.class) != null
                || causeOf(ex, ReadTimeoutException.class) != null) {
            return Problem.of(HttpStatus.GATEWAY_TIMEOUT, service + " did not respond in time");
        }
        if (causeOf(ex, PrematureCloseException.class) != null) {
            return Problem.of(HttpStatus.BAD_GATEWAY, service + " closed the connection before responding");
        }
        return null;
    }

    private static Problem unreadableJson(JacksonException cause, ServerWebInputException input) {
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = fieldPath(mismatch.getPath());
            Problem problem = Problem.of(HttpStatus.BAD_REQUEST, "Invalid request: " + field);
            problem.body().setProperty("errors", List.of(new FieldProblem(field, "has the wrong type")));
            return problem;
        }
        log.debug("Unreadable JSON body: {}", input.getMessage());
        return Problem.of(HttpStatus.BAD_REQUEST, "The request body is not valid JSON");
    }

    private static Problem frameworkClientError(ErrorResponse error, ServerWebExchange exchange) {
        HttpStatusCode status = error.getStatusCode();
        ProblemDetail body = ProblemDetail.forStatus(status);
        HttpStatus known = HttpStatus.resolve(status.value());
        body.setTitle(known != null ? known.getReasonPhrase() : error.getBody().getTitle());
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            body.setDetail("No route or endpoint for " + method(exchange) + " " + path(exchange));
        } else if (error.getBody().getDetail() != null) {
            body.setDetail(error.getBody().getDetail());
        } else {
            body.setDetail(body.getTitle());
        }
        log.debug("{} {} -> {}", method(exchange), path(exchange), status);
        return new Problem(status, body, error.getHeaders());
    }

    private Map<String, Object> render(ProblemDetail problem, ServerWebExchange exchange) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", problem.getType() != null ? problem.getType().toString() : "about:blank");
        json.put("title", problem.getTitle());
        json.put("status", problem.getStatus());
        json.put("detail", problem.getDetail());
        json.put("instance", path(exchange));
        if (problem.getProperties() != null) {
            json.putAll(problem.getProperties());
        }
        String requestId = RequestIdFilter.of(exchange);
        if (requestId != null) {
            json.put("request_id", requestId);
        }
        return json;
    }

    private static String fieldPath(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static Optional<Route> route(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
    }

    private static JacksonException jacksonCause(Throwable ex) {
        return causeOf(ex, JacksonException.class);
    }

    private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String method(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod().name();
    }

    private static String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value();
    }
}
