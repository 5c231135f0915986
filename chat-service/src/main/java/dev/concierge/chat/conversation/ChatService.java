package dev.concierge.chat.conversation;

import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.conversation.internal.ConversationRepository;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.retrieval.SearchClient;
import dev.concierge.contracts.MessagePosted;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * One chat turn: find the session's conversation, store and publish the question, retrieve the store's
 * passages that clear the similarity floor (a short follow-up is searched together with the previous
 * question, so "and to Belgium?" finds the shipping page), answer, then store and publish the answer.
 */
@Service
public class ChatService {

    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    static final String SEARCH_DOWN = "I'm sorry, I can't look that up right now. Please try again in a moment.";

    private final ConversationRepository conversations;
    private final SearchClient search;
    private final AnswerService answers;
    private final MessagePostedPublisher publisher;
    private final ChatProperties props;
    private final JsonMapper json;

    public ChatService(ConversationRepository conversations, SearchClient search, AnswerService answers,
                       MessagePostedPublisher publisher, ChatProperties props, JsonMapper json) {
        this.conversations = conversations;
        this.search = search;
        this.answers = answers;
        this.publisher = publisher;
        this.props = props;
        this.json = json;
    }

    public record Reply(String sessionId, String conversationId, String message, List<Passage> sources, boolean grounded) {
    }

    public Mono<Reply> chat(String tenantId, String sessionId, String message) {
        return conversations.activeConversation(tenantId, sessionId, props.sessionTtl()).flatMap(conversationId ->
                conversations.history(conversationId, props.historyTurns()).flatMap(history ->
                        store(tenantId, sessionId, conversationId, MessagePosted.USER, message, null, List.of())
                                .then(respond(tenantId, message, history))
                                .flatMap(answer -> store(tenantId, sessionId, conversationId, MessagePosted.ASSISTANT,
                                        answer.text(), answer.grounded(), answer.sources())
                                        .thenReturn(new Reply(sessionId, conversationId.toString(), answer.text(),
                                                answer.sources(), answer.grounded())))));
    }

    private Mono<Answer> respond(String tenantId, String message, List<Turn> history) {
        Answer greeting = answers.greetingOrNull(message);
        if (greeting != null) {
            return Mono.just(greeting);
        }
        return retrieve(tenantId, message, history)
                .flatMap(passages -> answers.answer(message, passages, history))
                .onErrorResume(e -> {
                    log.warn("retrieval failed: {}", e.toString());
                    return Mono.just(Answer.ungrounded(SEARCH_DOWN));
                });
    }

    private Mono<List<Passage>> retrieve(String tenantId, String message, List<Turn> history) {
        String previous = history.stream().filter(Turn::fromUser).reduce((a, b) -> b).map(Turn::content).orElse(null);
        if (previous == null) {
            return relevant(tenantId, message);
        }
        if (isFollowUp(message)) {
            // "And how much does that cost?" means nothing alone: search it in the light of the last question.
            return relevant(tenantId, previous + " " + message)
                    .flatMap(found -> !found.isEmpty() ? Mono.just(found) : relevant(tenantId, message));
        }
        return relevant(tenantId, message)
                .flatMap(found -> !found.isEmpty() ? Mono.just(found) : relevant(tenantId, previous + " " + message));
    }

    private static final Pattern FOLLOW_UP_START = Pattern.compile("^(and|but|also|so|what about|how about|then)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANAPHOR = Pattern.compile("\\b(it|its|that|this|they|them|those|these|there|one|ones)\\b",
            Pattern.CASE_INSENSITIVE);

    /** A short message that leans on the previous one ("and to Belgium?", "how much is it?"). */
    static boolean isFollowUp(String message) {
        String m = message.strip();
        int words = m.split("\\s+").length;
        return words <= 8 && (FOLLOW_UP_START.matcher(m).matches() || ANAPHOR.matcher(m).find());
    }

    private Mono<List<Passage>> relevant(String tenantId, String query) {
        return search.search(tenantId, query, props.retrievalLimit())
                .map(hits -> hits.stream().filter(p -> p.score() >= props.minScore()).toList());
    }

    private Mono<Void> store(String tenantId, String sessionId, UUID conversationId, String role, String content,
                             Boolean grounded, List<Passage> sources) {
        UUID messageId = UUID.randomUUID();
        List<String> urls = sources.stream().map(Passage::url).distinct().toList();
        return conversations.append(conversationId, messageId, role, content, grounded, json.writeValueAsString(sources))
                .then(publisher.publish(new MessagePosted(tenantId, conversationId.toString(), sessionId,
                        messageId.toString(), role, content, grounded, urls, Instant.now())));
    }
}
