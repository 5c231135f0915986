package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.retrieval.Passage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The LLM path against a local server speaking OpenAI's chat-completions wire format (OpenAI is the one
 * part we cannot run here): what the model is sent, how its citations become sources, and the fallback.
 */
class OpenAiCompatibleModelTest {

    private HttpServer server;
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();

    private final List<Passage> passages = List.of(
            new Passage("http://s/returns/", "Returns", null, "", "You can return unused items within 30 days.", 0, 0.6),
            new Passage("http://s/shipping/", "Shipping", null, "", "Orders over €60 ship free.", 0, 0.4));

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static ChatProperties props(String baseUrl) {
        return new ChatProperties("http://unused", 0.3, 6, 6, Duration.ofHours(24), Duration.ofSeconds(3), Duration.ofMinutes(1),
                new ChatProperties.OpenAi("sk-test", baseUrl, "gpt-4o-mini", Duration.ofSeconds(2), 0));
    }

    @Test
    void answersFromTheNumberedPassagesAndCitesWhatTheModelCited() throws IOException {
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
        assertThat(authorization.get()).isEqualTo("Bearer sk-test");
        assertThat(requestBody.get()).contains("gpt-4o-mini").contains("[1] Returns (http://s/returns/)")
                .contains("You can return unused items within 30 days.").contains("How long can I return things?");
    }

    @Test
    void aFailingModelFallsBackToTheOfflineAnswer() throws IOException {
        String url = start(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        AnswerService answers = new AnswerService(new OfflineResponder(), props(url));

        Answer a = answers.answer("How long can I return things?", passages, List.of()).block();

        assertThat(a.grounded()).isTrue();
        assertThat(a.text()).contains("within 30 days");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/returns/");
    }

    @Test
    void aModelErrorThatEchoesTheQuestionIsLoggedRedacted() throws IOException {
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
}
