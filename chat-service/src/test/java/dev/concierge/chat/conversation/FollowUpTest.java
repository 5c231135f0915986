package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FollowUpTest {

    @ParameterizedTest
    @ValueSource(strings = {"And how much does that cost?", "what about Belgium?", "Is it in stock?", "and to France"})
    void shortMessagesThatLeanOnThePreviousOneAreFollowUps(String message) {
        assertThat(ChatService.isFollowUp(message)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Do you ship to Germany?", "How many days do I have to return an item?",
            "Is there a student discount on bikes when I buy one with my university card in the store?"})
    void selfContainedQuestionsAreNot(String message) {
        assertThat(ChatService.isFollowUp(message)).isFalse();
    }
}
