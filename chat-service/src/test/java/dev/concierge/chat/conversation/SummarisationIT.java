package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.support.ChatServiceITSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A long conversation is summarised once its messages outgrow the history's share of the token budget (default
 * 8,000 tokens, 800 kept for the answer: 1,800 for the history): the older messages are condensed (extractively,
 * without a model) into a summary stored on the conversation, which keeps the shopper's first facts; the last
 * turns stay verbatim.
 */
class SummarisationIT extends ChatServiceITSupport {

    private static final String PADDING = " I care a lot about this, because I use the bike every day for commuting in all weathers,"
            .repeat(18);

    @Test
    void aLongConversationIsSummarisedAndKeepsTheBikeModelFromTheFirstTurn() {
        JsonNode first = chat(SHOP, "s-long", "I ride a Cube Kathmandu Hybrid from 2022." + PADDING);
        String conversationId = first.get("conversation_id").asString();
        assertThat(summary(conversationId).get("summary_upto")).isEqualTo(0);

        for (int i = 1; i <= 4; i++) {
            chat(SHOP, "s-long", "Which rear light would you recommend for question " + i + "?" + PADDING);
        }
        chat(SHOP, "s-long", "And a bell?");

        Map<String, Object> stored = summary(conversationId);
        assertThat((String) stored.get("summary")).contains("Shopper: I ride a Cube Kathmandu Hybrid from 2022.");
        // 5 turns (10 messages) were over the budget when the 6th came: all but the last 6 were summarised
        assertThat(stored.get("summary_upto")).isEqualTo(4);
        assertThat((String) stored.get("summary")).doesNotContain("question 3");
    }

    @Test
    void aShortConversationIsNotSummarised() {
        JsonNode first = chat(SHOP, "s-short", "Do you sell bells?");
        for (int i = 0; i < 8; i++) {
            chat(SHOP, "s-short", "And lights number " + i + "?");
        }
        Map<String, Object> stored = summary(first.get("conversation_id").asString());
        assertThat(stored.get("summary")).isNull();
        assertThat(stored.get("summary_upto")).isEqualTo(0);
    }

    private Map<String, Object> summary(String conversationId) {
        return db.sql("select summary, summary_upto from conversations where id = :id").bind("id", UUID.fromString(conversationId))
                .fetch().one().block();
    }
}
