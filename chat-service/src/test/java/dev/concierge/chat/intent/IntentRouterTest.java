package dev.concierge.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import dev.concierge.embeddings.TextEmbeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With the real in-process MiniLM model, as the chat-service runs it. */
class IntentRouterTest {

    static final TextEmbeddings MINILM = new EmbeddingModels(new OpenAiSettings(null, null, null, 0))
            .get(EmbeddingModelId.MINILM_L6_V2_Q);
    final IntentRouter router = new IntentRouter(MINILM::embedAll);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hi there | GREETING",
            "Where is my order? | ORDER_STATUS",
            "Order 1041, e-mail anna.devries@example.com | ORDER_STATUS",
            "My order is #1041 and my email is anna.devries@example.com | ORDER_STATUS",
            "What's the status of order #10482? | ORDER_STATUS",
            "Has my parcel left your warehouse yet | ORDER_STATUS",
            "Is the TrackPro floor pump in stock? | PRODUCT",
            "How much is the Contour 700x35 tyre? | PRODUCT",
            "Can I talk to a human please | HANDOFF",
            "I want to file a complaint | HANDOFF",
            "What's the weather in Utrecht tomorrow? | OUT_OF_SCOPE",
            "Tell me a funny joke | OUT_OF_SCOPE",
            "How long do I have to return an item? | STORE_CONTENT",
            "My order arrived damaged, how quickly do I need to tell you? | STORE_CONTENT",
            "My order still hasn't arrived | ORDER_STATUS",
            "What is your customer service phone number? | STORE_CONTENT",
            "Can I return order #1234, the CS-PUMP-01? | STORE_CONTENT",
            "Do you ship to Belgium? | STORE_CONTENT",
            "Which days is the Amersfoort store open? | STORE_CONTENT"})
    void routesMessagesToTheirIntent(String message, Intent expected) {
        assertThat(router.route(message, null).intent()).as(router.route(message, null).toString()).isEqualTo(expected);
    }

    @Test
    void aBareAnswerToTheAgentsQuestionContinuesTheOrderLookup() {
        String asked = "I can look that up. What is your order number and the e-mail address you used for the order?";
        assertThat(router.route("it's 10482", asked).intent()).isEqualTo(Intent.ORDER_STATUS);
        assertThat(router.route("ann.devries@example.com", asked).intent()).isEqualTo(Intent.ORDER_STATUS);
        // without that question a number alone is no order lookup
        assertThat(router.route("10482", "Orders over €60 ship free.").intent()).isNotEqualTo(Intent.ORDER_STATUS);
    }

    @Test
    void aMessageWithOrderDetailsAndAnotherQuestionIsNotTakenForALookup() {
        assertThat(IntentRouter.onlyOrderDetails("Order 1041, e-mail anna.devries@example.com")).isTrue();
        assertThat(IntentRouter.onlyOrderDetails("I'm jan@example.com. Can I return order #1234, the CS-PUMP-01?")).isFalse();
    }
}
