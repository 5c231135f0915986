package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.support.FakeOpenAi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The LLM path against a local server speaking OpenAI's chat-completions wire format (OpenAI is the one
 * part we cannot run here): what the model is sent, how its citations become sources, and the fallback.
 */
class OpenAiCompatibleModelTest {

    private final FakeOpenAi server = new FakeOpenAi();

    private final List<Passage> passages = List.of(
            new Passage("http://s/returns/", "Returns", null, "", "You can return unused items within 30 days.", 0, 0.6),
            new Passage("http://s/shipping/", "Shipping", null, "", "Orders over €60 ship free.", 0, 0.4));

    @AfterEach
    void stop() {
        server.close();
    }

    private String start(int status, String body) {
        server.answers(status, body);
        return server.baseUrl();
    }

    private static ChatProperties props(String baseUrl) {
        return props(baseUrl, 0);
    }

    private static ChatProperties props(String baseUrl, int maxRetries) {
        return new ChatProperties("http://unused", 0.3, 6, 6, Duration.ofHours(24), Duration.ofSeconds(3), Duration.ofMinutes(1),
                new ChatProperties.OpenAi("sk-test", baseUrl, "gpt-4o-mini", Duration.ofSeconds(2), maxRetries));
    }

    @Test
    void answersFromTheNumberedPassagesAndCitesWhatTheModelCited() {
        String url = start(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"You have 30 days to return unused items [1]."},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":12,"total_tokens":132}}
                """);
        AnswerService answers = new AnswerService(new OfflineResponder(), props(url));

        Answer a = answers.answer("How long can I return things?", passages, List.of()).block();

        assertThat(answers.mode()).isEqualTo("openai");
        assertThat(a.grounded()).isTrue();
        assertThat(a.text()).isEqualTo("You have 30 days to return unused items [1].");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/returns/");
        assertThat(server.lastAuthorization()).isEqualTo("Bearer sk-test");
        assertThat(server.requestBodies().get(0)).contains("gpt-4o-mini").contains("[1] Returns (http://s/returns/)")
                .contains("You can return unused items within 30 days.").contains("How long can I return things?");
    }

    @Test
    void aFailingModelFallsBackToTheOfflineAnswer() {
        String url = start(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(url));

        Answer a = answers.answer("How long can I return things?", passages, List.of()).block();

        assertThat(a.grounded()).isTrue();
        assertThat(a.text()).contains("within 30 days");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/returns/");
    }

    @Test
    void aModelErrorThatEchoesTheQuestionIsLoggedRedacted() {
        // Some OpenAI-compatible proxies echo the request in their error bodies.
        String url = start(400, """
                {"error":{"message":"Invalid request: messages=[{'role':'user','content':'I am jan.jansen@example.com,                 +31 6 12345678, can I return it?'}]","type":"invalid_request_error"}}
                """);
        AnswerService answers = new AnswerService(new OfflineResponder(), props(url));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(AnswerService.class);
        logs.start();
        logger.addAppender(logs);
        try {
            Answer a = answers.answer("I am jan.jansen@example.com, +31 6 12345678, can I return it?", passages, List.of())
                    .block();

            assertThat(a.text()).contains("within 30 days");
            assertThat(logs.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("language model unavailable").contains("[email]").contains("[phone]")
                    .doesNotContain("jan.jansen").doesNotContain("12345678"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void streamsTheModelsTokensInOrderAndCitesWhatTheModelCited() {
        server.streams("Unused items ", "can be returned ", "within 30 days ", "[1].");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(server.baseUrl()));
        List<String> deltas = new CopyOnWriteArrayList<>();

        Answer a = answers.stream("How long can I return things?", passages, List.of(), deltas::add).block();

        assertThat(deltas).containsExactly("Unused items ", "can be returned ", "within 30 days ", "[1].");
        assertThat(a.text()).isEqualTo("Unused items can be returned within 30 days [1].");
        assertThat(a.grounded()).isTrue();
        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/returns/");
        // exactly what LangChain4j 1.19 asks for: a stream, with a usage chunk at its end
        assertThat(server.requests()).isEqualTo(1);
        JsonNode request = JsonMapper.builder().build().readTree(server.requestBodies().get(0));
        assertThat(request.get("stream").asBoolean()).isTrue();
        assertThat(request.get("stream_options").get("include_usage").asBoolean()).isTrue();
        assertThat(request.get("messages").get(0).get("content").asString()).contains("[2] Shipping (http://s/shipping/)");
        assertThat(request.get("messages").get(1).get("content").asString()).isEqualTo("How long can I return things?");
    }

    @Test
    void aStreamThatFailsBeforeItsFirstTokenIsReplacedByTheOfflineAnswer() {
        server.answers(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(server.baseUrl()));
        List<String> deltas = new CopyOnWriteArrayList<>();

        Answer a = answers.stream("How long can I return things?", passages, List.of(), deltas::add).block();

        assertThat(deltas).isEmpty(); // whole at once: the caller sends it in pieces
        assertThat(a.text()).contains("within 30 days");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/returns/");
    }

    @Test
    void aStreamRefusedWith503IsRetriedBeforeItsFirstToken() {
        server.failsOnce(503);
        server.streams("Within 30 days ", "[1].");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(server.baseUrl(), 1));
        List<String> deltas = new CopyOnWriteArrayList<>();

        Answer a = answers.stream("How long can I return things?", passages, List.of(), deltas::add).block();

        assertThat(server.requests()).isEqualTo(2);
        assertThat(deltas).containsExactly("Within 30 days ", "[1].");
        assertThat(a.grounded()).isTrue();
    }

    @Test
    void aStreamThatBreaksOffMidAnswerEndsInAnswerInterruptedWithTheTextSoFar() {
        server.streamsThenFallsSilent(Duration.ofSeconds(10), "You can return ", "unused items");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(server.baseUrl(), 1));
        List<String> deltas = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> answers.stream("How long can I return things?", passages, List.of(), deltas::add).block())
                .isInstanceOfSatisfying(AnswerInterrupted.class,
                        e -> assertThat(e.partialText()).isEqualTo("You can return unused items"));
        assertThat(deltas).containsExactly("You can return ", "unused items");
        assertThat(server.requests()).as("tokens were sent: not retried").isEqualTo(1);
    }

    @Test
    void cancellingAStreamClosesTheModelsResponse() {
        String[] pieces = new String[200];
        java.util.Arrays.fill(pieces, "word ");
        server.trickles(Duration.ofMillis(20), pieces);
        LlmResponder llm = new LlmResponder(props(server.baseUrl()).openai());

        List<String> firstTwo = llm.stream("How long can I return things?", passages, List.of()).take(2).collectList().block();

        assertThat(firstTwo).containsExactly("word ", "word ");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.abandonedStreams() == 1);
    }
}
