package dev.concierge.chat.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How much of the model's context a turn may use, in tokens (estimated as characters / 4).
 *
 * @param tokens        the model's context window ({@code CHAT_CONTEXT_TOKENS})
 * @param answerReserve kept free for the answer ({@code CHAT_ANSWER_RESERVE_TOKENS})
 * @param verbatimTurns the latest messages always kept word for word when older ones are summarised
 */
@ConfigurationProperties(prefix = "concierge.chat.context")
public record ContextBudget(int tokens, int answerReserve, int verbatimTurns) {

    public static final ContextBudget DEFAULT = new ContextBudget(8000, 800, 6);

    /** What the prompt (system prompt, passages, history, question, tool results) may use. */
    public int prompt() {
        return tokens - answerReserve;
    }

    /** The share of the prompt for the conversation so far (summary and verbatim turns): a quarter. */
    public int history() {
        return prompt() / 4;
    }

    /** The estimated tokens of {@code text}: characters / 4, rounded up (OpenAI's rule of thumb for English). */
    public static int estimate(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }
}
