package dev.concierge.gateway.auth.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.concierge.contracts.Domains;
import dev.concierge.gateway.errors.ProblemException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store domain a request names, in its query ({@code ?domain=}) or as the top-level {@code domain} field of
 * its JSON body. Every spelling is normalised with {@link Domains#normalise}.
 */
public final class NamedDomain {

    public static final String FIELD = "domain";

    /**
     * Parses bodies strictly: a duplicated key is refused, so the gateway and the service behind it cannot
     * read different domains out of {@code {"domain":"a.example","domain":"b.example"}}.
     */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private NamedDomain() {
    }

    /**
     * The {@code domain} field of a JSON body, as written; empty when the body is empty, not an object or has no
     * (or a null) {@code domain}.
     *
     * @throws ProblemException 400 when the body is not JSON or {@code domain} is not a string
     */
    public static Optional<String> inJsonBody(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The request body is not valid JSON");
        }
        if (root == null || !root.isObject() || !root.has(FIELD) || root.get(FIELD).isNull()) {
            return Optional.empty();
        }
        JsonNode domain = root.get(FIELD);
        if (!domain.isString()) {
            throw ProblemException.invalidField(FIELD, "must be a string");
        }
        return Optional.of(domain.asString());
    }

    /**
     * The one normalised domain the request names, from every place it names one.
     *
     * @throws ProblemException 400 when a value is not a domain name, or the values name different domains
     */
    public static Optional<String> resolve(List<String> named) {
        Set<String> domains = new LinkedHashSet<>();
        for (String raw : named) {
            String normalised = Domains.normalise(raw);
            if (normalised == null) {
                throw ProblemException.invalidField(FIELD, "is not a domain name such as shop.example");
            }
            domains.add(normalised);
        }
        if (domains.size() > 1) {
            throw ProblemException.invalidField(FIELD, "names more than one domain: " + String.join(", ", domains));
        }
        return domains.stream().findFirst();
    }
}
