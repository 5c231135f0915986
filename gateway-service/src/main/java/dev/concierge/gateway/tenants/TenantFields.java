package dev.concierge.gateway.tenants;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.tenants.internal.EmailAddresses;
import dev.concierge.gateway.tenants.internal.Origins;
import tools.jackson.databind.JsonNode;

/** Checks and normalises the settable fields of a tenant, the same way on create and on update. */
final class TenantFields {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ORIGINS = 20;

    static final String NAME = "name";
    static final String ALLOWED_ORIGINS = "allowed_origins";
    static final String RATE_LIMIT_PLAN = "rate_limit_plan";
    static final String SUPPORT_EMAIL = "support_email";
    static final String STATUS = "status";
    static final String LLM = "llm";

    static final int MAX_LLM_BASE_URL_LENGTH = 2048;
    static final int MAX_LLM_MODEL_LENGTH = 200;
    static final int MAX_LLM_API_KEY_LENGTH = 512;
    private static final String LLM_PROVIDER = LLM + ".provider";
    static final String LLM_BASE_URL = LLM + ".base_url";
    private static final String LLM_MODEL = LLM + ".model";
    private static final String LLM_API_KEY = LLM + ".api_key";
    private static final Set<String> LLM_FIELDS = Set.of("provider", "base_url", "model", "api_key");

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

    /**
     * The {@code llm} setting: {@code {"provider":"offline"}} or {@code {"provider":"openai", "base_url",
     * "model", "api_key"}} (any of the last three may be left out here; whether that is enough depends on the
     * tenant's current choice). Each value must be a string within its bounds: {@code base_url} an absolute
     * http(s) URL without user info, query or fragment, {@code model} and {@code api_key} without whitespace or
     * control characters. {@code null} (and problems naming {@code llm.<field>}) when anything is wrong.
     */
    static LlmSetting llm(JsonNode value, List<FieldProblem> errors) {
        if (value == null || !value.isObject()) {
            errors.add(new FieldProblem(LLM, "must be an object such as {\"provider\":\"offline\"} or "
                    + "{\"provider\":\"openai\",\"base_url\",\"model\",\"api_key\"}, or null for the platform's default"));
            return null;
        }
        int before = errors.size();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!LLM_FIELDS.contains(field.getKey())) {
                errors.add(new FieldProblem(LLM + "." + field.getKey(), "is not a field of llm"));
            }
        }
        String provider = llmText(value, "provider", errors);
        if (provider == null) {
            if (!value.has("provider") || value.get("provider").isNull()) {
                errors.add(new FieldProblem(LLM_PROVIDER, "is required: \"offline\" or \"openai\""));
            }
        } else if (!TenantLlm.OFFLINE.equals(provider) && !TenantLlm.OPENAI.equals(provider)) {
            errors.add(new FieldProblem(LLM_PROVIDER, "must be \"offline\" or \"openai\""));
        }
        String baseUrl = llmText(value, "base_url", errors);
        String model = llmText(value, "model", errors);
        String apiKey = llmText(value, "api_key", errors);
        if (TenantLlm.OFFLINE.equals(provider)) {
            for (String field : List.of("base_url", "model", "api_key")) {
                if (value.has(field) && !value.get(field).isNull()) {
                    errors.add(new FieldProblem(LLM + "." + field, "is only for provider \"openai\""));
                }
            }
        } else {
            if (baseUrl != null) {
                baseUrl = llmBaseUrl(baseUrl, errors);
            }
            if (model != null && (model.isEmpty() || model.length() > MAX_LLM_MODEL_LENGTH || !isToken(model))) {
                errors.add(new FieldProblem(LLM_MODEL, "must be 1 to " + MAX_LLM_MODEL_LENGTH
                        + " characters without whitespace or control characters, such as gpt-4o-mini"));
            }
            if (apiKey != null && (apiKey.isEmpty() || apiKey.length() > MAX_LLM_API_KEY_LENGTH || !isToken(apiKey))) {
                errors.add(new FieldProblem(LLM_API_KEY, "must be 1 to " + MAX_LLM_API_KEY_LENGTH
                        + " characters without whitespace or control characters"));
            }
        }
        return errors.size() > before ? null : new LlmSetting(provider, baseUrl, model, apiKey);
    }

    /** The problem of an {@code openai} setting that names no model (and the tenant has none yet). */
    static FieldProblem llmModelRequired() {
        return new FieldProblem(LLM_MODEL, "is required for provider \"openai\"");
    }

    /** The problem of an {@code openai} setting without a key where none can be kept. */
    static FieldProblem llmApiKeyRequired(boolean baseUrlChanged) {
        return new FieldProblem(LLM_API_KEY, baseUrlChanged
                ? "is required when base_url changes (the stored key is never sent to another endpoint)"
                : "is required for provider \"openai\"");
    }

    /** A stripped string field of {@code llm}; {@code null} when absent or null (and a problem when no string). */
    private static String llmText(JsonNode llm, String field, List<FieldProblem> errors) {
        JsonNode value = llm.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldProblem(LLM + "." + field, "must be a string"));
            return null;
        }
        return value.asString().strip();
    }

    /** The URL without a trailing slash when absolute http(s) with a host and no user info, query or fragment. */
    private static String llmBaseUrl(String raw, List<FieldProblem> errors) {
        String problem = "must be an absolute http(s) URL such as https://api.openai.com/v1 (no user info, query "
                + "or fragment), at most " + MAX_LLM_BASE_URL_LENGTH + " characters";
        if (raw.length() > MAX_LLM_BASE_URL_LENGTH || !isToken(raw)) {
            errors.add(new FieldProblem(LLM_BASE_URL, problem));
            return null;
        }
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.isOpaque()
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                errors.add(new FieldProblem(LLM_BASE_URL, problem));
                return null;
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldProblem(LLM_BASE_URL, problem));
            return null;
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** Printable, no whitespace: a model name, key or URL. */
    private static boolean isToken(String text) {
        return isPlainText(text) && text.codePoints().noneMatch(Character::isWhitespace);
    }

    private static List<String> sorted(Set<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted;
    }
}
