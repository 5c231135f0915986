package dev.concierge.gateway.errors;

/** One entry of a problem's {@code errors} array: which input field is wrong and why. */
public record FieldProblem(String field, String message) {
}
