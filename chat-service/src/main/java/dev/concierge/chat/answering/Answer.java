package dev.concierge.chat.answering;

import dev.concierge.chat.tools.ToolCall;
import dev.concierge.chat.retrieval.Passage;
import java.util.List;

/**
 * An answer: its text, exactly the passages it used as sources, whether it is grounded in them, and the
 * tools run to make it (recorded with the message).
 */
public record Answer(String text, List<Passage> sources, boolean grounded, List<ToolCall> toolCalls) {

    public Answer(String text, List<Passage> sources, boolean grounded) {
        this(text, sources, grounded, List.of());
    }

    public static Answer ungrounded(String text) {
        return new Answer(text, List.of(), false, List.of());
    }

    /** This answer with {@code calls} recorded before any it already has. */
    public Answer withToolCalls(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            return this;
        }
        List<ToolCall> all = new java.util.ArrayList<>(calls);
        all.addAll(toolCalls);
        return new Answer(text, sources, grounded, List.copyOf(all));
    }
}
