package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.errors.FieldProblem;
import dev.concierge.gateway.errors.ProblemException;
import tools.jackson.databind.json.JsonMapper;

class UpdateTenantRequestTest {

    private static final Set<String> PLANS = Set.of("free", "standard", "pro");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TenantChanges parse(String body) {
        return UpdateTenantRequest.parse(JSON.readTree(body), PLANS);
    }

    @Test
    void changesOnlyTheFieldsGiven() {
        TenantChanges changes = parse("{\"rate_limit_plan\":\"pro\"}");

        assertThat(changes.rateLimitPlan()).isEqualTo("pro");
        assertThat(changes.status()).isNull();
        assertThat(changes.name()).isNull();
        assertThat(changes.allowedOrigins()).isNull();
        assertThat(changes.supportEmail()).isNull();
    }

    @Test
    void normalisesEverySetting() {
        TenantChanges changes = parse("""
                {"status":"DISABLED","name":"  New name ","allowed_origins":["HTTPS://Shop.example:443/",
                 "http://localhost:3000","https://shop.example"],"support_email":"Help@Shop.example"}""");

        assertThat(changes.status()).isEqualTo(TenantStatus.DISABLED);
        assertThat(changes.name()).isEqualTo("New name");
        assertThat(changes.allowedOrigins()).containsExactly("https://shop.example", "http://localhost:3000");
        assertThat(changes.supportEmail()).contains("Help@shop.example");
    }

    @Test
    void removesTheSupportEmailWithNull() {
        assertThat(parse("{\"support_email\":null}").supportEmail()).isEqualTo(Optional.empty());
    }

    @Test
    void acceptsAnEmptyListOfOrigins() {
        assertThat(parse("{\"allowed_origins\":[]}").allowedOrigins()).isEmpty();
    }

    @Test
    void namesEveryInvalidOrUnknownFieldOnce() {
        assertThatThrownBy(() -> parse("""
                {"status":"paused","name":7,"allowed_origins":"https://shop.example","rate_limit_plan":"gold",
                 "support_email":"nobody","colour":"red"}"""))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                        .extracting(FieldProblem::field)
                        .containsExactlyInAnyOrder("status", "name", "allowed_origins", "rate_limit_plan",
                                "support_email", "colour"));
        assertThatThrownBy(() -> parse("{\"allowed_origins\":[\"https://*.shop.example\", 3]}"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                        .extracting(FieldProblem::field).containsExactly("allowed_origins"));
        assertThatThrownBy(() -> parse("{\"name\":\"   \"}"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(errors(problem))
                        .containsExactly(new FieldProblem("name", "must not be blank")));
    }

    @Test
    void refusesABodyThatChangesNothingOrIsNoObject() {
        for (String body : List.of("{}", "[]", "\"status\"", "null")) {
            assertThatThrownBy(() -> parse(body))
                    .isInstanceOfSatisfying(ProblemException.class,
                            problem -> assertThat(problem.getStatusCode().value()).isEqualTo(400));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> errors(ProblemException problem) {
        return (List<FieldProblem>) problem.getBody().getProperties().get("errors");
    }

    @Test
    void readsTheLlmSettingAndNullAsThePlatformDefault() {
        TenantChanges openAi = parse("""
                {"llm":{"provider":"openai","base_url":" https://llm.example/v1/ ","model":"gpt-4o-mini","api_key":"sk-1"}}""");
        TenantChanges offline = parse("{\"llm\":{\"provider\":\"offline\"}}");
        TenantChanges platform = parse("{\"llm\":null}");

        assertThat(openAi.llm()).contains(new LlmSetting("openai", "https://llm.example/v1", "gpt-4o-mini", "sk-1"));
        assertThat(openAi.fieldNames()).containsExactly("llm");
        assertThat(openAi.llm().orElseThrow().toString()).doesNotContain("sk-1");
        assertThat(offline.llm()).contains(new LlmSetting("offline", null, null, null));
        assertThat(platform.llm()).isEmpty();
        assertThat(parse("{\"name\":\"Shop\"}").llm()).isNull();
    }

    @Test
    void refusesAnInvalidLlmSettingNamingItsField() {
        assertThatThrownBy(() -> parse("{\"llm\":{\"provider\":\"anthropic\"}}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(errors(e))
                        .extracting(FieldProblem::field).containsExactly("llm.provider"));
        assertThatThrownBy(() -> parse("{\"llm\":{\"provider\":\"openai\",\"base_url\":\"file:///etc/passwd\"}}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(errors(e))
                        .extracting(FieldProblem::field).containsExactly("llm.base_url"));
        assertThatThrownBy(() -> parse("{\"llm\":{\"provider\":\"openai\",\"base_url\":\"https://llm.example/v1?key=1\"}}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(errors(e))
                        .extracting(FieldProblem::field).containsExactly("llm.base_url"));
        assertThatThrownBy(() -> parse("{\"llm\":{\"provider\":\"openai\",\"api_key\":\"sk\\u0000x\"}}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(errors(e))
                        .extracting(FieldProblem::field).containsExactly("llm.api_key"));
        assertThatThrownBy(() -> parse("{\"llm\":[]}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(errors(e))
                        .extracting(FieldProblem::field).containsExactly("llm"));
    }
}
