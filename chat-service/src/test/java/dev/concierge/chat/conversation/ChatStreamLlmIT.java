package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.chat.support.FakeOpenAi;
import dev.concierge.chat.support.FakeSearchService.Hit;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/chat/stream with the language model configured, against a local server speaking OpenAI's
 * streaming chat-completions wire format: the model's tokens as delta events, its citations as the sources,
 * the offline answer streamed when the model fails before its first token, an error event when it breaks off
 * after some. Every test starts with the model's circuit closed.
 */
class ChatStreamLlmIT extends ChatServiceITSupport {

    static final FakeOpenAi OPENAI = new FakeOpenAi();
    static final String QUESTION = "How long do I have to return an item?";

    @DynamicPropertySource
    static void languageModel(DynamicPropertyRegistry registry) {
        registry.add("concierge.chat.openai.api-key", () -> "sk-test");
        registry.add("concierge.chat.openai.base-url", OPENAI::baseUrl);
        registry.add("concierge.chat.openai.timeout", () -> "2s");
        registry.add("concierge.chat.openai.max-retries", () -> "1");
    }

    @AfterAll
    static void stopModel() {
        OPENAI.close();
    }

    @Autowired AnswerService answers;

    @BeforeEach
    void storePagesAndCloseTheCircuit() {
        answers.modelCircuit().orElseThrow().reset();
        OPENAI.reset();
        SEARCH.answersWith(
                new Hit("http://shop/shipping/", "Shipping", "Orders over 60 euros ship free within the Netherlands.", 0.72),
                new Hit("http://shop/returns/", "Returns", "You can return any unused item within 30 days of delivery.", 0.70));
    }

    @Test
    void theModelsTokensArriveAsSeparateDeltasAndThePassageItCitedIsTheSource() {
        OPENAI.streams("You can return ", "an unused item ", "within 30 days ", "of delivery [2].");

        List<Sse> events = streamChat(SHOP, "visitor-llm", QUESTION);

        assertThat(events).extracting(Sse::event).containsExactly("delta", "delta", "delta", "delta", "done");
        assertThat(events.subList(0, 4)).extracting(e -> e.data().get("text").asString())
                .containsExactly("You can return ", "an unused item ", "within 30 days ", "of delivery [2].");
        JsonNode reply = events.get(4).data();
        assertThat(reply.get("message").asString()).isEqualTo("You can return an unused item within 30 days of delivery [2].");
        assertThat(reply.get("grounded").asBoolean()).isTrue();
        assertThat(reply.get("sources").findValuesAsString("url")).containsExactly("http://shop/returns/");

        JsonNode request = json.readTree(OPENAI.requestBodies().get(0));
        assertThat(request.get("stream").asBoolean()).isTrue();
        assertThat(request.get("messages").get(0).get("content").asString())
                .contains("[1] Shipping (http://shop/shipping/)").contains("[2] Returns (http://shop/returns/)");
        JsonNode messages = transcriptOf(SHOP, reply.get("conversation_id").asString()).get("messages");
        assertThat(messages.findValuesAsString("role")).containsExactly("user", "assistant");
        assertThat(messages.get(1).get("content").asString()).isEqualTo(reply.get("message").asString());
        assertThat(messages.get(1).get("sources").findValuesAsString("url")).containsExactly("http://shop/returns/");
    }

    @Test
    void aModelThatBreaksOffMidAnswerEndsTheStreamWithAnErrorAndTheTranscriptShowsWhatWasSent() {
        OPENAI.streamsThenFallsSilent(Duration.ofSeconds(10), "You can return ", "an unused item");

        List<Sse> events = streamChat(SHOP, "visitor-broken", QUESTION);

        assertThat(events).extracting(Sse::event).containsExactly("delta", "delta", "error");
        JsonNode problem = events.get(2).data();
        assertThat(problem.get("type").asString()).isEqualTo("https://concierge.dev/problems/answer-interrupted");
        assertThat(problem.get("status").asInt()).isEqualTo(502);
        assertThat(problem.get("detail").asString()).isEqualTo(ChatService.INTERRUPTED_DETAIL);
        assertThat(problem.get("session_id").asString()).isEqualTo("visitor-broken");
        JsonNode messages = transcriptOf(SHOP, problem.get("conversation_id").asString()).get("messages");
        assertThat(messages.findValuesAsString("role")).containsExactly("user", "assistant");
        JsonNode stored = messages.get(1);
        assertThat(stored.get("content").asString()).isEqualTo("You can return an unused item " + ChatService.INTERRUPTED);
        assertThat(stored.get("grounded").asBoolean()).isFalse();
        assertThat(stored.get("sources").isEmpty()).isTrue();
        assertThat(OPENAI.requests()).as("tokens were sent: not retried").isEqualTo(1);
    }

    @Test
    void aShopperWhoLeavesMidAnswerCancelsTheModelAndTheTranscriptNotesTheInterruption() {
        String[] words = new String[100];
        java.util.Arrays.fill(words, "word ");
        OPENAI.trickles(Duration.ofMillis(50), words);

        List<?> firstTwo = openStream(SHOP, "visitor-leaves", QUESTION).getResponseBody().take(2).collectList()
                .block(Duration.ofSeconds(30));
        assertThat(firstTwo).hasSize(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> OPENAI.abandonedStreams() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.sql("select count(*) from messages where role = 'assistant'")
                .map(r -> r.get(0, Long.class)).one().block() == 1);
        String stored = db.sql("select content from messages where role = 'assistant'")
                .map(r -> r.get(0, String.class)).one().block();
        assertThat(stored).startsWith("word word").endsWith(" " + ChatService.INTERRUPTED);
    }

    @Test
    void aSlowModelIsReplacedByTheOfflineAnswerStreamed() {
        OPENAI.hangs(Duration.ofSeconds(10));

        assertOfflineAnswerStreamed(streamChat(SHOP, "visitor-slow", QUESTION));
        assertThat(OPENAI.requests()).as("a timeout is not retried").isEqualTo(1);
    }

    @Test
    void aFailingModelIsRetriedThenReplacedByTheOfflineAnswerStreamed() {
        OPENAI.answers(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");

        assertOfflineAnswerStreamed(streamChat(SHOP, "visitor-500", QUESTION));
        assertThat(OPENAI.requests()).isEqualTo(2);
    }

    @Test
    void withTheCircuitOpenTheOfflineAnswerArrivesWithinASecond() {
        OPENAI.answers(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        // every failed call counts; the circuit opens once half of at least five calls have failed
        boolean open = false;
        for (int i = 0; i < 10 && !open; i++) {
            open = callsNoModel("visitor-opening-" + i);
        }
        assertThat(open).as("the circuit opened").isTrue();
        int calls = OPENAI.requests();

        long start = System.nanoTime();
        List<Sse> events = streamChat(SHOP, "visitor-open", QUESTION);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(OPENAI.requests()).as("the open circuit calls no model").isEqualTo(calls);
        assertOfflineAnswerStreamed(events);
        assertThat(took).as("the issue's bound for the fallback answer").isLessThan(Duration.ofSeconds(1));
    }

    /** Chats once; true when that chat called no model: the circuit is open. */
    private boolean callsNoModel(String session) {
        int before = OPENAI.requests();
        streamChat(SHOP, session, QUESTION);
        return OPENAI.requests() == before;
    }

    private static void assertOfflineAnswerStreamed(List<Sse> events) {
        List<Sse> deltas = events.subList(0, events.size() - 1);
        JsonNode reply = events.get(events.size() - 1).data();
        assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        assertThat(deltas).hasSizeGreaterThanOrEqualTo(2).allSatisfy(d -> assertThat(d.event()).isEqualTo("delta"));
        assertThat(deltas.stream().map(d -> d.data().get("text").asString()).collect(Collectors.joining()))
                .isEqualTo(reply.get("message").asString());
        assertThat(reply.get("message").asString()).contains("within 30 days of delivery").doesNotContain("[2]");
        assertThat(reply.get("grounded").asBoolean()).isTrue();
        assertThat(reply.get("sources").findValuesAsString("url")).contains("http://shop/returns/");
    }
}
