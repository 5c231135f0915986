package dev.concierge.chat.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Bad input becomes {@code application/problem+json} naming the field; framework errors are ProblemDetails already. */
@RestControllerAdvice
class ProblemHandler {

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", e.errors());
        return problem;
    }
}
