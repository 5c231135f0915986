package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.conversation.Turn;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.support.FakeOpenAi;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Passages, history and the summary are fitted to the token budget, leaving room for the answer (and a tool's result). */
class ContextBudgetTest {

    private static final ContextBudget SMALL = new ContextBudget(2000, 300, 4);

    private final List<Passage> passages = new ArrayList<>();
    private final List<Turn> history = new ArrayList<>();

    ContextBudgetTest() {
        for (int i = 0; i < 8; i++) {
            passages.add(new Passage("http://s/p" + i + "/", "Page " + i, null, "", ("Passage " + i + " says something useful. ").repeat(40), 0, 0.9 - i * 0.05));
        }
        history.add(Turn.summary("Shopper: I ride a Cube Kathmandu Hybrid."));
        for (int i = 0; i < 10; i++) {
            history.add(new Turn(i % 2 == 0 ? "user" : "assistant", "Turn " + i + " " + "blah ".repeat(150)));
        }
    }

    private static LlmResponder responder(ContextBudget budget) {
        return new LlmResponder(null, Duration.ZERO, null, Duration.ZERO, 0, budget);
    }

    @Test
    void thePromptFitsTheBudgetWithRoomForTheAnswer() {
        LlmResponder.Prompt prompt = responder(SMALL).prompt("Does the Kathmandu take a rack?", passages, history, false);

        assertThat(LlmResponder.promptTokens(prompt.messages())).isLessThanOrEqualTo(SMALL.prompt());
        assertThat(prompt.passages()).isNotEmpty().hasSizeLessThan(passages.size());
        assertThat(prompt.passages()).containsExactlyElementsOf(passages.subList(0, prompt.passages().size())); // best first
        List<ChatMessage> m = prompt.messages();
        assertThat(((UserMessage) m.get(m.size() - 1)).singleText()).isEqualTo("Does the Kathmandu take a rack?");
        assertThat(((SystemMessage) m.get(1)).text()).startsWith(LlmResponder.SUMMARY_NOTE).contains("Cube Kathmandu Hybrid");
        String all = m.toString();
        assertThat(all).contains("Turn 9").doesNotContain("Turn 0 "); // the newest turns, not the oldest
    }

    @Test
    void withToolsRoomIsLeftForAToolsResult() {
        ContextBudget budget = new ContextBudget(3000, 300, 4);
        LlmResponder.Prompt prompt = responder(budget).prompt("Is it in stock?", passages, history, true);

        assertThat(LlmResponder.promptTokens(prompt.messages()) + LlmResponder.TOOL_RESULT_TOKENS).isLessThanOrEqualTo(budget.prompt());
    }

    @Test
    void citationsOnlyCountPassagesThatWereSent() {
        LlmResponder r = responder(SMALL);
        List<Passage> sent = r.passagesSent("q", passages, history);
        Answer a = LlmResponder.cite("See [1] and [8].", sent);
        assertThat(a.sources()).containsExactly(passages.get(0));
    }

    @Test
    void theRequestToTheModelStaysWithinTheBudget() {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.streams("It takes a rack [1].");
            ChatProperties props = new ChatProperties("http://unused", 0.3, 6, 6, Duration.ofHours(24), Duration.ofSeconds(3),
                    Duration.ofMinutes(1), new ChatProperties.OpenAi("sk-test", server.baseUrl(), "gpt-4o-mini", Duration.ofSeconds(2), 0));
            AnswerService answers = new AnswerService(new OfflineResponder(), props, null, null, SMALL);

            answers.answer("Does the Kathmandu take a rack?", passages, history).block();

            JsonNode request = JsonMapper.builder().build().readTree(server.requestBodies().get(0));
            int chars = 0;
            for (JsonNode message : request.get("messages")) {
                chars += message.get("content").asString().length() + 4 * LlmResponder.MESSAGE_OVERHEAD;
            }
            assertThat(chars / 4).isLessThanOrEqualTo(SMALL.prompt());
            // the AI service sends one system message: rules, passages, then the summary of the earlier conversation
            assertThat(request.get("messages").get(0).get("role").asString()).isEqualTo("system");
            String system = request.get("messages").get(0).get("content").asString();
            assertThat(system.substring(system.indexOf("</store_passages>"))).contains(LlmResponder.SUMMARY_NOTE)
                    .contains("Cube Kathmandu Hybrid");
            assertThat(request.get("messages").get(1).get("role").asString()).isIn("user", "assistant");
        }
    }

    @Test
    void theExtractiveSummaryKeepsTheFirstFactsAndFitsItsShare() {
        List<Turn> older = new ArrayList<>();
        older.add(new Turn("user", "I ride a Cube Kathmandu Hybrid from 2022. Which pannier rack fits it?"));
        older.add(new Turn("assistant", "Here is what our Racks page says: the Tubus Cargo fits most trekking bikes. More text."));
        for (int i = 0; i < 30; i++) {
            older.add(new Turn(i % 2 == 0 ? "user" : "assistant", "Question number " + i + " about lights and locks. " + "x".repeat(300)));
        }

        String summary = Summaries.extractive(null, older, 200);

        assertThat(ContextBudget.estimate(summary)).isLessThanOrEqualTo(200);
        assertThat(summary).startsWith("Shopper: I ride a Cube Kathmandu Hybrid from 2022.").doesNotContain("Which pannier");
        assertThat(Summaries.extractive(summary, List.of(new Turn("user", "And a bell?")), 200))
                .startsWith("Shopper: I ride a Cube Kathmandu Hybrid").endsWith("Shopper: And a bell?");
    }

    @Test
    void withAModelTheSummaryIsWrittenByItAndExtractiveWhenItFails() {
        try (FakeOpenAi server = new FakeOpenAi()) {
            ChatProperties props = new ChatProperties("http://unused", 0.3, 6, 6, Duration.ofHours(24), Duration.ofSeconds(3),
                    Duration.ofMinutes(1), new ChatProperties.OpenAi("sk-test", server.baseUrl(), "gpt-4o-mini", Duration.ofSeconds(2), 0));
            AnswerService answers = new AnswerService(new OfflineResponder(), props, null, null, SMALL);
            List<Turn> older = List.of(new Turn("user", "I ride a Cube Kathmandu Hybrid. Which rack fits?"),
                    new Turn("assistant", "The Tubus Cargo fits [1]."));

            server.streams("- The shopper rides a Cube Kathmandu Hybrid and asked which rack fits.");
            assertThat(answers.summarise(null, older).block()).isEqualTo("- The shopper rides a Cube Kathmandu Hybrid and asked which rack fits.");
            JsonNode request = JsonMapper.builder().build().readTree(server.requestBodies().get(0));
            assertThat(request.get("messages").get(0).get("content").asString()).isEqualTo(LlmResponder.SUMMARY_PROMPT);
            assertThat(request.get("messages").get(1).get("content").asString()).contains("Shopper: I ride a Cube Kathmandu Hybrid.");

            server.answers(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
            assertThat(answers.summarise(null, older).block()).isEqualTo("Shopper: I ride a Cube Kathmandu Hybrid.\nAssistant: The Tubus Cargo fits [1].");
        }
    }
}
