package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.retrieval.SearchClient;
import dev.concierge.chat.support.FakeCommerceService;
import dev.concierge.chat.support.FakeOpenAi;
import dev.concierge.chat.tools.StoreTools;
import dev.concierge.chat.tools.ToolCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model calls the store's tools (OpenAI's tool_calls wire format, from a local server): the tool runs against
 * commerce-service (faked at its HTTP boundary) for the asking tenant, its result goes back to the model, and the
 * call is recorded on the answer; a failing tool gives the model the honest sentence.
 */
class LlmToolCallingTest {

    private final FakeOpenAi openAi = new FakeOpenAi();
    private final FakeCommerceService commerce = new FakeCommerceService();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Passage> passages = List.of(new Passage("https://shop.example/products/trackpro/", "TrackPro", null, "",
            "The TrackPro floor pump reaches 11 bar.", 0, 0.6));

    @AfterEach
    void stop() {
        openAi.close();
        commerce.close();
    }

    private AnswerService answers() {
        ChatProperties props = new ChatProperties("http://unused", 0.3, 6, 6, Duration.ofHours(24), Duration.ofSeconds(3),
                Duration.ofMinutes(1), new ChatProperties.OpenAi("sk-test", openAi.baseUrl(), "gpt-4o-mini", Duration.ofSeconds(5), 0));
        StoreTools tools = new StoreTools(WebClient.builder(), new SearchClient(WebClient.builder(), props), json,
                commerce.baseUrl(), Duration.ofSeconds(2));
        return new AnswerService(new OfflineResponder(), props, tools, Duration.ofSeconds(2), ContextBudget.DEFAULT);
    }

    @Test
    void theModelChecksStockAndAnswersWithTheToolsResult() {
        commerce.answers("/api/commerce/products/CS-PU-TRK/stock", 200,
                "{\"ref\":\"CS-PU-TRK\",\"stock_status\":\"instock\",\"stock_quantity\":7}");
        openAi.callsToolThenAnswers("check_stock", "{\"ref\":\"CS-PU-TRK\"}", toolResult -> toolResult.contains("\"stock_quantity\":7")
                ? "Yes, the TrackPro floor pump is in stock: 7 available. It reaches 11 bar [1]."
                : "I don't know.");

        Answer a = answers().answer("shop-a", "Is the TrackPro pump in stock?", passages, List.of()).block();

        assertThat(a.text()).contains("7 available");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("https://shop.example/products/trackpro/");
        assertThat(commerce.requests()).singleElement().asString().startsWith("GET /api/commerce/products/CS-PU-TRK/stock");
        assertThat(a.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("check_stock");
            assertThat(call.arguments()).containsEntry("ref", "CS-PU-TRK");
            assertThat(call.outcome()).isEqualTo(ToolCall.OK);
        });

        List<String> bodies = openAi.requestBodies();
        assertThat(bodies).hasSize(2);
        JsonNode first = json.readTree(bodies.get(0));
        assertThat(first.get("tools")).extracting(t -> t.get("function").get("name").asString())
                .containsExactlyInAnyOrder("search_products", "get_product", "check_stock", "lookup_order");
        assertThat(first.get("messages").get(0).get("content").asString()).startsWith(LlmResponder.SYSTEM_PROMPT)
                .contains(LlmResponder.TOOLS_NOTE);
        JsonNode followUp = json.readTree(bodies.get(1)).get("messages");
        JsonNode assistant = followUp.get(followUp.size() - 2);
        assertThat(assistant.get("tool_calls").get(0).get("id").asString()).isEqualTo("call_fake_1");
        JsonNode tool = followUp.get(followUp.size() - 1);
        assertThat(tool.get("role").asString()).isEqualTo("tool");
        assertThat(tool.get("tool_call_id").asString()).isEqualTo("call_fake_1");
        assertThat(tool.get("content").asString()).startsWith("<tool_result>").contains("\"stock_quantity\":7");
    }

    @Test
    void theModelsOrderLookupCarriesTheShoppersSessionSoItIsLimitedPerSession() {
        commerce.answers("/api/commerce/orders/lookup", 200,
                "{\"order_number\":\"727\",\"status\":\"completed\",\"items\":[],\"tracking\":null}");
        openAi.callsToolThenAnswers("lookup_order", "{\"order_number\":\"727\",\"email\":\"ann@example.com\"}",
                toolResult -> toolResult.contains("completed") ? "Your order 727 is completed." : "I don't know.");

        Answer a = answers().answer("shop-a", "visitor-7", "Where is order 727? ann@example.com", passages, List.of(),
                null, null).block();

        assertThat(a.text()).isEqualTo("Your order 727 is completed.");
        assertThat(commerce.requests()).singleElement().asString()
                .startsWith("POST /api/commerce/orders/lookup").endsWith("[session visitor-7]");
        assertThat(a.toolCalls()).extracting(ToolCall::name).containsExactly("lookup_order");
    }

    @Test
    void theAssistantIsToldTheTenantsSupportAddressAndKeepsTheSummaryAndTurnsInOrder() {
        commerce.answers("/api/commerce/products/CS-PU-TRK/stock", 200, "{\"ref\":\"CS-PU-TRK\",\"stock_status\":\"outofstock\"}");
        openAi.callsToolThenAnswers("check_stock", "{\"ref\":\"CS-PU-TRK\"}", toolResult -> "It is out of stock [1].");
        List<dev.concierge.chat.conversation.Turn> history = List.of(
                dev.concierge.chat.conversation.Turn.summary("The shopper asked about floor pumps."),
                new dev.concierge.chat.conversation.Turn("user", "Which pump reaches 11 bar?"),
                new dev.concierge.chat.conversation.Turn("assistant", "The TrackPro does [1]."));

        Answer a = answers().answer("shop-a", "Is it in stock?", passages, history, "help@cedar.example").block();

        assertThat(a.text()).isEqualTo("It is out of stock [1].");
        assertThat(a.toolCalls()).extracting(ToolCall::name).containsExactly("check_stock");
        JsonNode messages = json.readTree(openAi.requestBodies().get(0)).get("messages");
        assertThat(messages).extracting(m -> m.get("role").asString()).containsExactly("system", "user", "assistant", "user");
        String system = messages.get(0).get("content").asString();
        assertThat(system).startsWith(LlmResponder.SYSTEM_PROMPT).contains("help@cedar.example")
                .contains("The shopper asked about floor pumps.");
        assertThat(system.indexOf("</store_passages>")).isLessThan(system.indexOf("The shopper asked about floor pumps."));
        assertThat(messages.get(3).get("content").asString()).isEqualTo("Is it in stock?");
    }

    @Test
    void aStoreThatIsNotConnectedGivesTheModelTheHonestSentence() {
        // FakeCommerceService answers 409 store-not-connected for anything not set
        openAi.callsToolThenAnswers("check_stock", "{\"ref\":\"CS-PU-TRK\"}", toolResult -> "Sorry: " + toolResult);

        Answer a = answers().answer("shop-a", "Is the TrackPro pump in stock?", passages, List.of()).block();

        JsonNode followUp = json.readTree(openAi.requestBodies().get(1)).get("messages");
        JsonNode tool = followUp.get(followUp.size() - 1);
        assertThat(tool.get("role").asString()).isEqualTo("tool");
        String toolMessage = tool.get("content").asString();
        assertThat(toolMessage).isEqualTo("I can't check live product data (prices, stock) for this store here yet.");
        assertThat(a.text()).isEqualTo("Sorry: I can't check live product data (prices, stock) for this store here yet.");
        assertThat(a.grounded()).isFalse();
        assertThat(a.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("check_stock");
            assertThat(call.outcome()).isEqualTo(ToolCall.NOT_CONNECTED);
        });
    }

    @Test
    void anInvalidArgumentIsRefusedBeforeAnyCallAndTheEmailIsRedactedInTheRecord() {
        openAi.callsToolThenAnswers("lookup_order", "{\"order_number\":\"10482; DROP\",\"email\":\"ann@example.com\"}",
                toolResult -> "I couldn't look that up: " + toolResult);

        Answer a = answers().answer("shop-a", "Where is order 10482? ann@example.com", passages, List.of()).block();

        assertThat(commerce.requests()).isEmpty();
        assertThat(a.text()).contains("Invalid argument order_number");
        assertThat(a.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo("invalid");
            assertThat(call.arguments()).containsEntry("email", "[email]");
        });
    }

    @Test
    void theStreamingPathOffersNoTools() {
        openAi.streams("It reaches 11 bar [1].");

        answers().stream("How strong is the TrackPro?", passages, List.of(), token -> { }).block();

        assertThat(json.readTree(openAi.requestBodies().get(0)).has("tools")).isFalse();
    }
}
