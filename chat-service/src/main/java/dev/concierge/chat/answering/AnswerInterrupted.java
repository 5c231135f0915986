package dev.concierge.chat.answering;

import dev.concierge.chat.tools.ToolCall;
import java.util.List;

/**
 * A streamed answer that broke off after part of it had been sent: the language model failed (or went
 * silent) mid-answer. Carries the text sent so far, which the shopper has seen, and the tools run for it.
 * Its message holds no text of the answer, so it can be logged.
 */
public class AnswerInterrupted extends RuntimeException {

    private final transient String partialText;
    private final transient List<ToolCall> toolCalls;

    public AnswerInterrupted(String partialText, Throwable cause) {
        this(partialText, List.of(), cause);
    }

    private AnswerInterrupted(String partialText, List<ToolCall> toolCalls, Throwable cause) {
        super("the answer broke off after " + partialText.length() + " characters", cause);
        this.partialText = partialText;
        this.toolCalls = toolCalls;
    }

    public String partialText() {
        return partialText;
    }

    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /** The same interruption with {@code calls} recorded. */
    public AnswerInterrupted withToolCalls(List<ToolCall> calls) {
        AnswerInterrupted copy = new AnswerInterrupted(partialText, List.copyOf(calls), getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
