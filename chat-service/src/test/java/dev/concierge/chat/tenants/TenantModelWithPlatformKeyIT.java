package dev.concierge.chat.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.chat.support.FakeOpenAi;
import dev.concierge.chat.support.FakeSearchService.Hit;
import dev.concierge.chat.support.TenantLlmEvents;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With a platform key (OPENAI_API_KEY): tenants without a choice are answered by the platform's model, a tenant
 * that chose {@code offline} never is, and a tenant with its own model is answered by that one, not the platform's.
 */
class TenantModelWithPlatformKeyIT extends ChatServiceITSupport {

    static final FakeOpenAi PLATFORM = new FakeOpenAi();
    static final FakeOpenAi OWN = new FakeOpenAi();
    static final String QUESTION = "How long do I have to return an item?";

    @DynamicPropertySource
    static void platformModel(DynamicPropertyRegistry registry) {
        registry.add("concierge.chat.openai.api-key", () -> "sk-platform-key");
        registry.add("concierge.chat.openai.base-url", PLATFORM::baseUrl);
        registry.add("concierge.chat.openai.timeout", () -> "5s");
        registry.add("concierge.chat.openai.max-retries", () -> "0");
    }

    @AfterAll
    static void stopModels() {
        PLATFORM.close();
        OWN.close();
    }

    @Autowired AnswerService answers;
    @Autowired TenantSettings settings;

    private TenantLlmEvents events;

    @BeforeEach
    void pages() {
        events = new TenantLlmEvents(broker, json, db);
        answers.modelCircuit().orElseThrow().reset();
        PLATFORM.reset();
        OWN.reset();
        PLATFORM.streams("The platform's model says 30 days [2].");
        OWN.streams("The tenant's own model says 30 days [2].");
        SEARCH.answersWith(
                new Hit("http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.", 0.72),
                new Hit("http://shop/returns/", "Returns", "You can return any unused item within 30 days of delivery.", 0.70));
    }

    @Test
    void aTenantThatChoseOfflineIsNeverAnsweredByThePlatformsModel() throws Exception {
        String offline = "tenant-offline-" + System.nanoTime();
        events.publish(offline, TenantLlmEvents.offline(), Instant.now());

        JsonNode reply = chat(offline, "s-offline", QUESTION);
        java.util.List<Sse> streamed = streamChat(offline, "s-offline-stream", QUESTION);

        assertThat(reply.get("message").asString()).doesNotContain("model says").contains("30 days");
        assertThat(streamed.get(streamed.size() - 1).data().get("message").asString()).doesNotContain("model says");
        assertThat(PLATFORM.requests()).isZero();
        assertThat(answers.mode()).isEqualTo("openai");
        assertThat(answers.mode(settings.of(offline).block().llm())).isEqualTo("offline");
        assertThat(answers.modelCircuit(offline, settings.of(offline).block().llm())).isEmpty();

        // the platform's model is there, for tenants without a choice
        JsonNode platform = chat("tenant-default-" + System.nanoTime(), "s-default", QUESTION);
        assertThat(platform.get("message").asString()).isEqualTo("The platform's model says 30 days [2].");
        assertThat(PLATFORM.lastAuthorization()).isEqualTo("Bearer sk-platform-key");
    }

    @Test
    void aTenantWithItsOwnModelIsNotAnsweredByThePlatformsModel() throws Exception {
        String own = "tenant-own-" + System.nanoTime();
        events.publish(own, TenantLlmEvents.openAi(OWN.baseUrl(), "own-model",
                TenantLlmEvents.seal("sk-own-key", own)), Instant.now());

        JsonNode reply = chat(own, "s-own", QUESTION);

        assertThat(reply.get("message").asString()).isEqualTo("The tenant's own model says 30 days [2].");
        assertThat(OWN.lastAuthorization()).isEqualTo("Bearer sk-own-key");
        assertThat(PLATFORM.requests()).isZero();
    }
}
