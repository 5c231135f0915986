package dev.concierge.gateway.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code PATCH /api/admin/tenants/{id}}: any of {@code status} ({@code "active" | "disabled"}),
 * {@code name}, {@code allowed_origins}, {@code rate_limit_plan}, {@code support_email} ({@code null}
 * removes it) and {@code llm} ({@code null} returns to the platform's default; see {@link TenantFields#llm}). Fields left out stay as they are; an unknown field is an error rather than silently ignored, so a
 * misspelt setting cannot look applied.
 */
final class UpdateTenantRequest {

    private static final Set<String> FIELDS = Set.of(TenantFields.STATUS, TenantFields.NAME,
            TenantFields.ALLOWED_ORIGINS, TenantFields.RATE_LIMIT_PLAN, TenantFields.SUPPORT_EMAIL, TenantFields.LLM);

    private UpdateTenantRequest() {
    }

    /**
     * The changes {@code body} asks for, checked and normalised.
     *
     * @throws ProblemException 400 listing every invalid or unknown field, or when the body changes nothing
     */
    static TenantChanges parse(JsonNode body, Set<String> knownPlans) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The request body must be a JSON object");
        }
        List<FieldProblem> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                errors.add(new FieldProblem(field.getKey(), "is not a field that can be changed"));
            }
        }

        TenantStatus status = null;
        if (body.has(TenantFields.STATUS)) {
            status = TenantStatus.parse(text(body, TenantFields.STATUS, errors));
            if (status == null) {
                errors.add(new FieldProblem(TenantFields.STATUS, "must be \"active\" or \"disabled\""));
            }
        }
        String name = body.has(TenantFields.NAME) ? TenantFields.name(text(body, TenantFields.NAME, errors), errors)
                : null;
        List<String> origins = null;
        if (body.has(TenantFields.ALLOWED_ORIGINS)) {
            JsonNode list = body.get(TenantFields.ALLOWED_ORIGINS);
            if (!list.isArray() || list.valueStream().anyMatch(value -> !value.isString())) {
                errors.add(new FieldProblem(TenantFields.ALLOWED_ORIGINS, "must be a list of origins (strings)"));
            } else {
                origins = TenantFields.origins(list.valueStream().map(JsonNode::asString).toList(), errors);
            }
        }
        String plan = body.has(TenantFields.RATE_LIMIT_PLAN)
                ? TenantFields.plan(text(body, TenantFields.RATE_LIMIT_PLAN, errors), knownPlans, errors)
                : null;
        Optional<String> email = null;
        if (body.has(TenantFields.SUPPORT_EMAIL)) {
            JsonNode value = body.get(TenantFields.SUPPORT_EMAIL);
            email = value.isNull() ? Optional.empty()
                    : Optional.ofNullable(TenantFields.supportEmail(text(body, TenantFields.SUPPORT_EMAIL, errors),
                            errors));
        }
        Optional<LlmSetting> llm = null;
        if (body.has(TenantFields.LLM)) {
            JsonNode value = body.get(TenantFields.LLM);
            llm = value.isNull() ? Optional.empty() : Optional.ofNullable(TenantFields.llm(value, errors));
        }

        if (!errors.isEmpty()) {
            throw ProblemException.invalid(distinctByField(errors));
        }
        TenantChanges changes = new TenantChanges(status, name, origins, plan, email, llm);
        if (changes.isEmpty()) {
            throw ProblemException.badRequest("The request changes nothing: send at least one of "
                    + String.join(", ", List.of(TenantFields.STATUS, TenantFields.NAME, TenantFields.ALLOWED_ORIGINS,
                            TenantFields.RATE_LIMIT_PLAN, TenantFields.SUPPORT_EMAIL)));
        }
        return changes;
    }

    /** The field's string value; {@code null} (and a problem when it is not a string). */
    private static String text(JsonNode body, String field, List<FieldProblem> errors) {
        JsonNode value = body.get(field);
        if (!value.isString()) {
            errors.add(new FieldProblem(field, "must be a string"));
            return null;
        }
        return value.asString();
    }

    /** One problem per field: a wrong type also fails the value check, which would only repeat it. */
    private static List<FieldProblem> distinctByField(List<FieldProblem> errors) {
        List<FieldProblem> distinct = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (FieldProblem error : errors) {
            if (seen.add(error.field())) {
                distinct.add(error);
            }
        }
        return distinct;
    }
}
