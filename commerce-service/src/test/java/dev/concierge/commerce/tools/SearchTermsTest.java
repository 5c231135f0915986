package dev.concierge.commerce.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchTermsTest {

    @Test
    void keepsOnlyTheProductWordsOfAShopperSentence() {
        assertThat(SearchTerms.of("Is the trail pump in stock?")).containsExactly("trail", "pump");
    }

    @Test
    void addsTheSingularOfPluralsAndKeepsSkusWhole() {
        assertThat(SearchTerms.of("do you have pumps or CS-PUMP-01?")).containsExactly("pumps", "pump", "cs-pump-01");
        assertThat(SearchTerms.of("batteries")).containsExactly("batteries", "battery");
    }

    @Test
    void aSentenceOfStopwordsHasNoTerms() {
        assertThat(SearchTerms.of("what do you have in stock?")).isEmpty();
    }
}
