package dev.concierge.chat.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchClientTest {

    @Test
    void aQuestionLongerThanSearchAcceptsIsCutAtAWord() {
        String question = "Is the pump any good? ".repeat(100); // 2,200 characters
        String q = SearchClient.fitted(question);
        assertThat(q.length()).isLessThanOrEqualTo(SearchClient.MAX_QUERY_LENGTH).isGreaterThan(900);
        assertThat(question).startsWith(q);
        assertThat(question.charAt(q.length())).isEqualTo(' '); // no word is cut in half
    }

    @Test
    void aShortQuestionIsSentAsAsked() {
        assertThat(SearchClient.fitted("  Do you ship to Belgium? ")).isEqualTo("Do you ship to Belgium?");
    }

    @Test
    void oneVeryLongWordIsCutAtTheLimitWithoutSplittingACharacter() {
        assertThat(SearchClient.fitted("a".repeat(5_000))).hasSize(SearchClient.MAX_QUERY_LENGTH);
        String emoji = "a" + "😀".repeat(2_000); // the limit falls between the halves of a surrogate pair
        String q = SearchClient.fitted(emoji);
        assertThat(q).hasSize(SearchClient.MAX_QUERY_LENGTH - 1);
        assertThat(Character.isHighSurrogate(q.charAt(q.length() - 1))).isFalse();
    }
}
