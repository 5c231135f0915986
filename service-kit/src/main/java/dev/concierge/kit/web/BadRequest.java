package dev.concierge.kit.web;

import java.util.List;
import java.util.Map;

/** A 400 that names the offending field; rendered as RFC 9457 problem+json by {@link ProblemAdvice}. */
public class BadRequest extends RuntimeException {

    private final transient List<Map<String, String>> errors;

    public BadRequest(String detail, List<Map<String, String>> errors) {
        super(detail);
        this.errors = errors;
    }

    public static BadRequest of(String field, String message) {
        return new BadRequest(field + ": " + message, List.of(Map.of("field", field, "message", message)));
    }

    public List<Map<String, String>> errors() {
        return errors;
    }

    /** A whole-number query parameter within bounds, {@code dflt} when absent. */
    public static int intParam(String field, String raw, int dflt, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw of(field, "must be a whole number from " + min + " to " + max);
    }

    /** A decimal query parameter within bounds, {@code dflt} when absent. */
    public static double doubleParam(String field, String raw, double dflt, double min, double max) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(raw.strip());
            if (v >= min && v <= max && !Double.isNaN(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw of(field, "must be a number from " + min + " to " + max);
    }
}
