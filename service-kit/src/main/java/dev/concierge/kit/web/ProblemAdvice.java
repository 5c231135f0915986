package dev.concierge.kit.web;

import java.net.URI;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Bad input becomes {@code application/problem+json} naming the field. Framework errors (malformed JSON,
 * unknown routes, wrong methods) are ProblemDetails already with {@code spring.webflux.problemdetails.enabled}.
 */
@AutoConfiguration
@RestControllerAdvice
public class ProblemAdvice {

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", e.errors());
        return problem;
    }
}
