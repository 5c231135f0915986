package dev.concierge.chat.answering;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.conversation.Turn;
import dev.concierge.chat.privacy.Pii;
import dev.concierge.chat.retrieval.Passage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Chooses how to answer: the language model when one is configured, the offline responder otherwise and
 * whenever the model fails or its circuit is open. With no passage above the similarity floor the
 * answer is "I don't know", whichever responder is in use.
 */
@Service
public class AnswerService {

    private static final Logger log = LoggerFactory.getLogger(AnswerService.class);

    private final OfflineResponder offline;
    private final LlmResponder llm;

    public AnswerService(OfflineResponder offline, ChatProperties props) {
        this.offline = offline;
        this.llm = props.openai() != null && props.openai().configured() ? new LlmResponder(props.openai()) : null;
    }

    public Answer greetingOrNull(String question) {
        return offline.greetingOrNull(question);
    }

    public Mono<Answer> answer(String question, List<Passage> passages, List<Turn> history) {
        if (passages.isEmpty()) {
            return Mono.just(Answer.ungrounded(OfflineResponder.IDK));
        }
        if (llm == null) {
            return Mono.just(offline.answer(question, passages));
        }
        return llm.answer(question, passages, history).onErrorResume(e -> {
            log.warn("language model unavailable ({}); answering offline", Pii.describe(e));
            return Mono.just(offline.answer(question, passages));
        });
    }

    public String mode() {
        return llm == null ? "offline" : "openai";
    }
}
