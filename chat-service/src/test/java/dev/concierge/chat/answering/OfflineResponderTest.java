package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.retrieval.Passage;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineResponderTest {

    private final OfflineResponder responder = new OfflineResponder();

    private static Passage passage(String url, String title, String text, double score) {
        return new Passage(url, title, title, text, text, 0, score);
    }

    @Test
    void quotesTheSentenceThatAnswersAndCitesItsPageFirst() {
        Answer a = responder.answer("How many days do I have to return an item?", List.of(
                passage("http://s/shipping/", "Shipping", "Orders ship within two days. Express delivery is available.", 0.52),
                passage("http://s/returns/", "Returns", "We love our bikes. You can return any unused item within 30 days of delivery. Refunds take 5 working days.", 0.50)));

        assertThat(a.grounded()).isTrue();
        assertThat(a.text()).contains("within 30 days of delivery");
        assertThat(a.text()).doesNotContain("We love our bikes");
        assertThat(a.sources().get(0).url()).isEqualTo("http://s/returns/");
    }

    @Test
    void citesOnlyThePagesItQuotes() {
        Answer a = responder.answer("What does a basic service cost?", List.of(
                passage("http://s/workshop/", "Workshop", "A basic service costs €59. A full service costs €129.", 0.6),
                passage("http://s/about/", "About", "We were founded in 2011 in Utrecht by two friends.", 0.41)));

        assertThat(a.sources()).extracting(Passage::url).containsExactly("http://s/workshop/");
        assertThat(a.text()).contains("€59");
    }

    @Test
    void answersOnlyWithWordsFromThePassages() {
        Passage p = passage("http://s/gift/", "Gift cards", "Gift cards are valid for 3 years from the date of purchase.", 0.7);
        Answer a = responder.answer("how long are gift cards valid", List.of(p));
        String quoted = a.text().substring(a.text().indexOf(':') + 1).strip();
        assertThat(p.text()).contains(quoted);
    }

    @Test
    void refusesWhenNothingSharesAWordWithTheQuestionAndSimilarityIsWeak() {
        Answer a = responder.answer("Do you repair cars?", List.of(
                passage("http://s/about/", "About", "We were founded in 2011 in Utrecht by two friends.", 0.33)));
        assertThat(a.grounded()).isFalse();
        assertThat(a.sources()).isEmpty();
    }

    @Test
    void namesThePageWithoutTheSiteSuffix() {
        assertThat(OfflineResponder.pageName("Returns & refunds | Cedar & Spoke Cycles")).isEqualTo("Returns & refunds");
        assertThat(OfflineResponder.pageName("Gift cards – Shop")).isEqualTo("Gift cards");
        assertThat(OfflineResponder.pageName("Self-service")).isEqualTo("Self-service");
    }

    @Test
    void greetsWithoutPretendingToBeGrounded() {
        assertThat(responder.greetingOrNull("Hello!").grounded()).isFalse();
        assertThat(responder.greetingOrNull("hello, do you sell pumps?")).isNull();
    }

    @Test
    void listMarkersAndHeadingsAreNotQuotedAsSentences() {
        assertThat(OfflineResponder.sentences("# Shipping costs\n- Netherlands: €4.95 for orders under €60.\nok"))
                .containsExactly("Netherlands: €4.95 for orders under €60.");
    }
}
