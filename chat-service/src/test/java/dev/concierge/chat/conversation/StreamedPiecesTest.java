package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How an answer's text is cut into delta events. */
class StreamedPiecesTest {

    @Test
    void anAnswerWholeAtOnceIsSentInGroupsOfWordsThatJoinToItExactly() {
        String text = "Here is what our “Returns” page says: You can return\nany unused item within 30 days.  Thanks!";

        List<String> pieces = ChatService.rest(text, "");

        assertThat(pieces).hasSize(6);
        assertThat(pieces.get(0)).isEqualTo("Here is what ");
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(ChatService.wordGroups("  one  ")).containsExactly("  one  ");
    }

    @Test
    void aStreamedModelAnswerNeedsNothingMoreOrOnlyWhatFollowsWhatWasSent() {
        assertThat(ChatService.rest("Within 30 days [1].", "Within 30 days [1].")).isEmpty();
        assertThat(ChatService.rest("Within 30 days [1].", "Within 30")).containsExactly(" days [1].");
    }

    @Test
    void aStreamedModelAnswerTheAgentWrappedIsNotSentAgain() {
        // done's message carries the whole text; the deltas never repeat what was shown
        assertThat(ChatService.rest("The store's system is not reachable right now. Within 30 days [1].",
                "Within 30 days [1].")).isEmpty();
    }
}
