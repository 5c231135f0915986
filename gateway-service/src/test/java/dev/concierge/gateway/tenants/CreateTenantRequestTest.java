package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;

class CreateTenantRequestTest {

    private static final Set<String> PLANS = Set.of("free", "standard", "pro");

    @Test
    void normalisesTheDomainAndOrigins() {
        CreateTenantRequest.Valid valid = new CreateTenantRequest("https://www.Shop.Example/about", " Shop ",
                List.of("https://shop.example", "https://SHOP.example:443"), " pro", " Help@Shop.EXAMPLE ")
                .validate(PLANS);

        assertThat(valid.domain()).isEqualTo("shop.example");
        assertThat(valid.name()).isEqualTo("Shop");
        assertThat(valid.allowedOrigins()).containsExactly("https://shop.example");
        assertThat(valid.rateLimitPlan()).isEqualTo("pro");
        assertThat(valid.supportEmail()).isEqualTo("Help@shop.example");
    }

    @Test
    void defaultsToTheDomainsOwnSiteAndNameWhenNothingElseIsGiven() {
        CreateTenantRequest.Valid valid = new CreateTenantRequest("shop.example", null, null, null, null)
                .validate(PLANS);

        assertThat(valid.name()).isEqualTo("shop.example");
        assertThat(valid.allowedOrigins()).containsExactly("https://shop.example", "https://www.shop.example");
        assertThat(valid.rateLimitPlan()).isNull();
        assertThat(valid.supportEmail()).isNull();
    }

    @Test
    void keepsAnExplicitlyEmptyListOfOrigins() {
        assertThat(new CreateTenantRequest("shop.example", null, List.of(), null, null).validate(PLANS)
                .allowedOrigins()).isEmpty();
    }

    @Test
    void namesEveryInvalidField() {
        assertThatThrownBy(() -> new CreateTenantRequest("shop_example.com", "x".repeat(201),
                List.of("https://ok.example", "https://shop.example/path", "https://*.shop.example"), "platinum",
                "help@").validate(PLANS))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(400);
                    assertThat(errors(problem)).extracting(FieldProblem::field)
                            .containsExactly("domain", "name", "allowed_origins[1]", "allowed_origins[2]",
                                    "rate_limit_plan", "support_email");
                    assertThat(errors(problem).get(4).message()).isEqualTo("must be one of free, pro, standard");
                });
    }

    @Test
    void requiresADomain() {
        assertThatThrownBy(() -> new CreateTenantRequest("  ", "Shop", List.of(), null, null).validate(PLANS))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                        .containsExactly(new FieldProblem("domain", "is required")));
    }

    @Test
    void refusesNamesWithControlCharactersBidiOverridesOrBrokenSurrogates() {
        for (String name : List.of("Shop\u0000", "Sh\nop", "\u202Epohs", "Shop\u2066x", "Shop\ud800",
                "\udc00Shop")) {
            assertThatThrownBy(() -> new CreateTenantRequest("shop.example", name, null, null, null).validate(PLANS))
                    .as(name)
                    .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                            .extracting(FieldProblem::field).containsExactly("name"));
        }
        assertThat(new CreateTenantRequest("shop.example", "Fietsen 🚲 & Zoë\u200D", null, null, null)
                .validate(PLANS).name()).isEqualTo("Fietsen 🚲 & Zoë\u200D");
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> errors(ProblemException problem) {
        return (List<FieldProblem>) problem.getBody().getProperties().get("errors");
    }
}
