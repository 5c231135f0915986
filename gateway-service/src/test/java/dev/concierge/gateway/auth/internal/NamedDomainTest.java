package dev.concierge.gateway.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.concierge.gateway.errors.ProblemException;

class NamedDomainTest {

    private static Optional<String> inBody(String json) {
        return NamedDomain.inJsonBody(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTopLevelDomainField() {
        assertThat(inBody("{\"url\":\"https://x.example\",\"domain\":\"https://www.Shop.example\"}"))
                .contains("https://www.Shop.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "{}", "[]", "\"shop.example\"", "{\"domain\":null}",
            "{\"page\":{\"domain\":\"nested.example\"}}"})
    void findsNoDomainWhereThereIsNone(String body) {
        assertThat(inBody(body)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"domain\":", "{'domain':'a.example'}", "not json",
            "{\"domain\":\"a.example\",\"domain\":\"b.example\"}"})
    void refusesBodiesThatAreNotStrictJson(String body) {
        assertThatThrownBy(() -> inBody(body))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void refusesADomainThatIsNotAString() {
        assertThatThrownBy(() -> inBody("{\"domain\":42}")).isInstanceOf(ProblemException.class);
    }

    @Test
    void resolvesEverySpellingToOneNormalisedDomain() {
        assertThat(NamedDomain.resolve(List.of("Shop.example", "https://www.shop.example/x"))).contains("shop.example");
        assertThat(NamedDomain.resolve(List.of())).isEmpty();
    }

    @Test
    void refusesConflictingOrInvalidDomains() {
        assertThatThrownBy(() -> NamedDomain.resolve(List.of("a.example", "b.example")))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> NamedDomain.resolve(List.of("not a domain")))
                .isInstanceOf(ProblemException.class);
    }
}
