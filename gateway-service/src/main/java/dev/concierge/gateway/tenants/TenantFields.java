package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.tenants.internal.EmailAddresses;
import dev.concierge.gateway.tenants.internal.Origins;

/** Checks and normalises the settable fields of a tenant, the same way on create and on update. */
final class TenantFields {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ORIGINS = 20;

    static final String NAME = "name";
    static final String ALLOWED_ORIGINS = "allowed_origins";
    static final String RATE_LIMIT_PLAN = "rate_limit_plan";
    static final String SUPPORT_EMAIL = "support_email";
    static final String STATUS = "status";

    private TenantFields() {
    }

    /**
     * A stripped name of at most {@link #MAX_NAME_LENGTH} characters of well-formed text: no control characters
     * (NUL, line breaks...), no bidirectional overrides or isolates (which can make a name display as something
     * else) and no unpaired surrogates. {@code null} (and a problem) otherwise.
     */
    static String name(String raw, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldProblem(NAME, "must not be blank"));
            return null;
        }
        String name = raw.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldProblem(NAME, "must be at most " + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        if (!isPlainText(name)) {
            errors.add(new FieldProblem(NAME, "must not contain control characters, bidirectional overrides or "
                    + "invalid UTF-16"));
            return null;
        }
        return name;
    }

    /** Text without control characters, bidirectional controls and unpaired surrogates. */
    static boolean isPlainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
                continue;
            }
            if (Character.isLowSurrogate(c) || Character.isISOControl(c) || isBidiControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBidiControl(char c) {
        return c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }

    /**
     * The origins normalised ({@code https://shop.example}) and deduplicated, in their given order. Each must be
     * {@code scheme://host[:port]} over http or https: no path, query, user info or wildcard.
     */
    static List<String> origins(List<String> given, List<FieldProblem> errors) {
        if (given.size() > MAX_ORIGINS) {
            errors.add(new FieldProblem(ALLOWED_ORIGINS, "must list at most " + MAX_ORIGINS + " origins"));
            return List.of();
        }
        Set<String> origins = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String origin = Origins.normalise(given.get(i));
            if (origin == null) {
                errors.add(new FieldProblem(ALLOWED_ORIGINS + "[" + i + "]",
                        "is not an http(s) origin such as https://shop.example (scheme, host and port only; "
                                + "no path, no wildcard)"));
            } else {
                origins.add(origin);
            }
        }
        return List.copyOf(origins);
    }

    /** The plan's name when it is one of {@code known}; {@code null} (and a problem) otherwise. */
    static String plan(String raw, Set<String> known, List<FieldProblem> errors) {
        String plan = raw == null ? "" : raw.strip();
        if (!known.contains(plan)) {
            errors.add(new FieldProblem(RATE_LIMIT_PLAN, "must be one of " + String.join(", ", sorted(known))));
            return null;
        }
        return plan;
    }

    /** The address normalised ({@link EmailAddresses#normalise}); {@code null} (and a problem) when invalid. */
    static String supportEmail(String raw, List<FieldProblem> errors) {
        String email = EmailAddresses.normalise(raw);
        if (email == null) {
            errors.add(new FieldProblem(SUPPORT_EMAIL, "is not an e-mail address such as help@shop.example"));
        }
        return email;
    }

    private static List<String> sorted(Set<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted;
    }
}
