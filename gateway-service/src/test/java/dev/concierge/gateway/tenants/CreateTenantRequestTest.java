package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;

class CreateTenantRequestTest {

    @Test
    void normalisesTheDomainAndOrigins() {
        CreateTenantRequest.Valid valid = new CreateTenantRequest("https://www.Shop.Example/about", " Shop ",
                List.of("https://shop.example", "https://SHOP.example:443")).validate();

        assertThat(valid.domain()).isEqualTo("shop.example");
        assertThat(valid.name()).isEqualTo("Shop");
        assertThat(valid.allowedOrigins()).containsExactly("https://shop.example");
    }

    @Test
    void namesTheTenantAfterItsDomainWhenNoNameIsGiven() {
        CreateTenantRequest.Valid valid = new CreateTenantRequest("shop.example", null, null).validate();

        assertThat(valid.name()).isEqualTo("shop.example");
        assertThat(valid.allowedOrigins()).isEmpty();
    }

    @Test
    void namesEveryInvalidField() {
        assertThatThrownBy(() -> new CreateTenantRequest("shop_example.com", "x".repeat(201),
                List.of("https://ok.example", "https://shop.example/path")).validate())
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(400);
                    assertThat(errors(problem)).extracting(FieldProblem::field)
                            .containsExactly("domain", "name", "allowed_origins[1]");
                });
    }

    @Test
    void requiresADomain() {
        assertThatThrownBy(() -> new CreateTenantRequest("  ", "Shop", List.of()).validate())
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                        .containsExactly(new FieldProblem("domain", "is required")));
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> errors(ProblemException problem) {
        return (List<FieldProblem>) problem.getBody().getProperties().get("errors");
    }
}
