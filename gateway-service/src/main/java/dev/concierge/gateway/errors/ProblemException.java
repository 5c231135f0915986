package dev.concierge.gateway.errors;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error the gateway answers itself, rendered as {@code application/problem+json} by
 * {@link ProblemExceptionHandler}. These are expected outcomes (bad credentials, bad input), so they carry no
 * stack trace.
 */
public class ProblemException extends ErrorResponseException {

    private ProblemException(HttpStatus status, String detail, List<FieldProblem> errors) {
        super(status, problem(status, detail, errors), null);
    }

    private static ProblemDetail problem(HttpStatus status, String detail, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", List.copyOf(errors));
        }
        return problem;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail, List.of());
    }

    public static ProblemException invalidField(String field, String message) {
        return invalid(List.of(new FieldProblem(field, message)));
    }

    public static ProblemException invalid(List<FieldProblem> errors) {
        String fields = String.join(", ", errors.stream().map(FieldProblem::field).distinct().toList());
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid request: " + fields, errors);
    }

    /** 401 with {@code WWW-Authenticate: Bearer}. */
    public static ProblemException unauthorized(String detail) {
        ProblemException problem = new ProblemException(HttpStatus.UNAUTHORIZED, detail, List.of());
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"concierge\"");
        return problem;
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, detail, List.of());
    }

    /** 403 with a problem type of its own, for refusals a client should tell apart. */
    public static ProblemException forbidden(String type, String detail) {
        ProblemException problem = new ProblemException(HttpStatus.FORBIDDEN, detail, List.of());
        problem.getBody().setType(java.net.URI.create(type));
        return problem;
    }

    /** 415 naming the media type the endpoint takes ({@code Accept-Post} / {@code Accept-Patch}). */
    public static ProblemException unsupportedMediaType(String detail, String acceptHeader, String accepted) {
        ProblemException problem = new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail, List.of());
        if (acceptHeader != null) {
            problem.getHeaders().set(acceptHeader, accepted);
        }
        return problem;
    }

    /**
     * 503 for a service behind the gateway that is down or whose circuit breaker is open.
     *
     * @param retryAfterSeconds sent as {@code Retry-After} when positive
     */
    public static ProblemException serviceUnavailable(String detail, long retryAfterSeconds) {
        ProblemException problem = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail, List.of());
        if (retryAfterSeconds > 0) {
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        return problem;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, detail, List.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, detail, List.of());
    }

    public static ProblemException contentTooLarge(String detail) {
        return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, detail, List.of());
    }

    /**
     * 429 with the given headers ({@code Retry-After}, {@code X-RateLimit-*}) and extra problem members (e.g.
     * which limit was hit).
     */
    public static ProblemException tooManyRequests(String detail, HttpHeaders headers, Map<String, Object> properties) {
        ProblemException problem = new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, List.of());
        problem.getHeaders().addAll(headers);
        properties.forEach(problem.getBody()::setProperty);
        return problem;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
