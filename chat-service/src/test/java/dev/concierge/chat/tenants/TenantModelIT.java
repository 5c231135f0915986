package dev.concierge.chat.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.chat.support.FakeOpenAi;
import dev.concierge.chat.support.FakeSearchService.Hit;
import dev.concierge.chat.support.TenantLlmEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's own language model (tenant.tenant-updated.v1's llm) in a chat-service without a platform key: the
 * tenant that chose an OpenAI-compatible endpoint is answered by it, with its own key and model, while a tenant
 * without a choice is answered offline by the same running service; a tenant whose endpoint fails is answered
 * offline and its circuit opens without touching another tenant's.
 */
class TenantModelIT extends ChatServiceITSupport {

    static final FakeOpenAi MODEL = new FakeOpenAi();
    static final FakeOpenAi BROKEN = new FakeOpenAi();
    static final String QUESTION = "How long do I have to return an item?";
    static final String MODEL_ANSWER = "From your own model: 30 days [2].";

    @Autowired AnswerService answers;
    @Autowired TenantSettings settings;

    private TenantLlmEvents events;

    @AfterAll
    static void stopModels() {
        MODEL.close();
        BROKEN.close();
    }

    @BeforeEach
    void pages() {
        events = new TenantLlmEvents(broker, json, db);
        MODEL.reset();
        BROKEN.reset();
        SEARCH.answersWith(
                new Hit("http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.", 0.72),
                new Hit("http://shop/returns/", "Returns", "You can return any unused item within 30 days of delivery.", 0.70));
    }

    @Test
    void aTenantWithItsOwnModelGetsItsAnswersWhileOneWithoutAChoiceIsAnsweredOffline() throws Exception {
        String own = "tenant-own-model-" + System.nanoTime();
        String none = "tenant-no-choice-" + System.nanoTime();
        Instant at = Instant.now();
        events.publish(own, TenantLlmEvents.openAi(MODEL.baseUrl(), "tenant-model-1",
                TenantLlmEvents.seal("sk-own-tenant-key-1234", own)), at);
        MODEL.streams(MODEL_ANSWER);
        assertThat(answers.mode()).isEqualTo("offline");

        JsonNode reply = chat(own, "s-own", QUESTION);

        assertThat(reply.get("message").asString()).isEqualTo(MODEL_ANSWER);
        assertThat(reply.get("grounded").asBoolean()).isTrue();
        assertThat(reply.get("sources").findValuesAsString("url")).containsExactly("http://shop/returns/");
        assertThat(MODEL.requests()).isEqualTo(1);
        assertThat(MODEL.lastAuthorization()).isEqualTo("Bearer sk-own-tenant-key-1234");
        assertThat(json.readTree(MODEL.requestBodies().get(0)).get("model").asString()).isEqualTo("tenant-model-1");
        assertThat(answers.mode(settings.of(own).block().llm())).isEqualTo("openai");

        JsonNode offline = chat(none, "s-none", QUESTION);

        assertThat(offline.get("message").asString()).doesNotContain("own model").contains("30 days");
        assertThat(MODEL.requests()).isEqualTo(1);

        List<Sse> streamed = streamChat(own, "s-own-stream", QUESTION);
        assertThat(streamed.get(streamed.size() - 1).event()).isEqualTo("done");
        assertThat(streamed.get(streamed.size() - 1).data().get("message").asString()).isEqualTo(MODEL_ANSWER);
        assertThat(json.readTree(MODEL.requestBodies().get(1)).get("stream").asBoolean()).isTrue();
        assertThat(MODEL.lastAuthorization()).isEqualTo("Bearer sk-own-tenant-key-1234");

        // a change of the tenant's settings rebuilds its model client: the new model, the new key
        events.publish(own, TenantLlmEvents.openAi(MODEL.baseUrl(), "tenant-model-2",
                TenantLlmEvents.seal("sk-own-tenant-key-5678", own)), at.plusSeconds(1));
        chat(own, "s-own-2", QUESTION);
        assertThat(json.readTree(MODEL.requestBodies().get(2)).get("model").asString()).isEqualTo("tenant-model-2");
        assertThat(MODEL.lastAuthorization()).isEqualTo("Bearer sk-own-tenant-key-5678");

        // and back to the platform's default (none here): offline
        events.publish(own, null, at.plusSeconds(2));
        assertThat(chat(own, "s-own-3", QUESTION).get("message").asString()).doesNotContain("own model");
        assertThat(MODEL.requests()).isEqualTo(3);
    }

    @Test
    void anOrderLookupTheModelMakesCarriesTheChatSession() throws Exception {
        String own = "tenant-model-lookup-" + System.nanoTime();
        events.publish(own, TenantLlmEvents.openAi(MODEL.baseUrl(), "tenant-model-1",
                TenantLlmEvents.seal("sk-own-tenant-key-1234", own)), Instant.now());
        COMMERCE.answers("/api/commerce/orders/lookup", 200,
                "{\"order_number\":\"727\",\"status\":\"completed\",\"items\":[],\"tracking\":null}");
        MODEL.callsToolThenAnswers("lookup_order", "{\"order_number\":\"727\",\"email\":\"ann@example.com\"}",
                toolResult -> toolResult.contains("completed") ? "Order 727 is completed [2]." : "I don't know.");

        JsonNode reply = chat(own, "s-model-lookup", QUESTION); // routed to the store's content: the model answers

        assertThat(reply.get("message").asString()).startsWith("Order 727 is completed");
        assertThat(COMMERCE.requests()).filteredOn(r -> r.startsWith("POST /api/commerce/orders/lookup"))
                .singleElement().asString().endsWith("[session s-model-lookup]");
    }

    @Test
    void aKeySealedForAnotherTenantIsNeverUsed() throws Exception {
        String tenant = "tenant-copied-key-" + System.nanoTime();
        events.publish(tenant, TenantLlmEvents.openAi(MODEL.baseUrl(), "tenant-model-1",
                TenantLlmEvents.seal("sk-someone-elses-key", "another-tenant")), Instant.now());
        MODEL.streams(MODEL_ANSWER);

        JsonNode reply = chat(tenant, "s-copied", QUESTION);

        assertThat(reply.get("message").asString()).doesNotContain("own model").contains("30 days");
        assertThat(MODEL.requests()).isZero();
    }

    @Test
    void aTenantWhoseEndpointFailsIsAnsweredOfflineAndOnlyItsOwnCircuitOpens() throws Exception {
        String broken = "tenant-broken-model-" + System.nanoTime();
        String working = "tenant-working-model-" + System.nanoTime();
        Instant at = Instant.now();
        events.publish(broken, TenantLlmEvents.openAi(BROKEN.baseUrl(), "broken-model",
                TenantLlmEvents.seal("sk-broken-key", broken)), at);
        events.publish(working, TenantLlmEvents.openAi(MODEL.baseUrl(), "working-model",
                TenantLlmEvents.seal("sk-working-key", working)), at);
        BROKEN.answers(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        MODEL.streams(MODEL_ANSWER);

        for (int i = 0; i < 5; i++) {
            JsonNode reply = chat(broken, "s-broken-" + i, QUESTION);
            assertThat(reply.get("message").asString()).doesNotContain("own model").contains("30 days");
        }
        CircuitBreaker brokenCircuit = answers.modelCircuit(broken, settings.of(broken).block().llm()).orElseThrow();
        assertThat(brokenCircuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int tried = BROKEN.requests();
        assertThat(tried).isGreaterThanOrEqualTo(5);

        JsonNode whileOpen = chat(broken, "s-broken-open", QUESTION);
        assertThat(whileOpen.get("message").asString()).contains("30 days");
        assertThat(BROKEN.requests()).isEqualTo(tried); // skipped at once while its circuit is open

        JsonNode reply = chat(working, "s-working", QUESTION);
        assertThat(reply.get("message").asString()).isEqualTo(MODEL_ANSWER);
        assertThat(MODEL.lastAuthorization()).isEqualTo("Bearer sk-working-key");
        assertThat(answers.modelCircuit(working, settings.of(working).block().llm()).orElseThrow().getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
