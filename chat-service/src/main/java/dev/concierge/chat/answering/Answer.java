package dev.concierge.chat.answering;

import dev.concierge.chat.retrieval.Passage;
import java.util.List;

/**
 * An assistant reply. {@code sources} are exactly the passages the reply rests on (empty when it rests on
 * none); {@code grounded} is true only when it does.
 */
public record Answer(String text, List<Passage> sources, boolean grounded) {

    public static Answer ungrounded(String text) {
        return new Answer(text, List.of(), false);
    }
}
