package dev.concierge.chat.conversation;

import dev.concierge.chat.agent.ShopAgent;
import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.conversation.internal.ConversationRepository.Conversation;
import dev.concierge.chat.conversation.internal.ConversationRepository;
import dev.concierge.chat.privacy.Pii;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.retrieval.SearchClient;
import dev.concierge.chat.tools.ToolCall;
import dev.concierge.contracts.MessagePosted;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * One chat turn: find the session's conversation (expiring it first when it has been idle too long), store and
 * publish the question, retrieve the store's passages that clear the similarity floor (a short follow-up is
 * searched together with the previous question, so "and to Belgium?" finds the shipping page), answer, then
 * store and publish the answer.
 *
 * <p>Personal data: the stored {@code content} of every message, the chat.message-posted.v1 events, the query
 * sent to search-service and the history given to the model are redacted ({@link Pii}). Only the current
 * question reaches the responder as typed (an order lookup needs the email in it), and the original text of a
 * user message with personal data is kept in {@code content_private} until the conversation expires.
 */
@Service
public class ChatService {

    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    static final String SEARCH_DOWN = "I'm sorry, I can't look that up right now. Please try again in a moment.";

    private final ConversationRepository conversations;
    private final SearchClient search;
    private final AnswerService answers;
    private final MessagePostedPublisher publisher;
    private final ConversationUpdatedPublisher updates;
    private final ChatProperties props;
    private final JsonMapper json;
    private final ShopAgent agent;

    public ChatService(ConversationRepository conversations, SearchClient search, AnswerService answers,
                       MessagePostedPublisher publisher, ConversationUpdatedPublisher updates, ChatProperties props,
                       JsonMapper json, ShopAgent agent) {
        this.agent = agent;
        this.conversations = conversations;
        this.search = search;
        this.answers = answers;
        this.publisher = publisher;
        this.updates = updates;
        this.props = props;
        this.json = json;
    }

    public record Reply(String sessionId, String conversationId, String message, List<Passage> sources, boolean grounded) {
    }

    public Mono<Reply> chat(String tenantId, String sessionId, String message) {
        return open(tenantId, sessionId).flatMap(conversation -> Mono.zip(
                        conversations.history(conversation.id(), props.historyTurns()),
                        conversations.userMessagesAsWritten(conversation.id(), props.historyTurns()))
                .flatMap(context -> store(conversation, MessagePosted.USER, message, null, List.of(), List.of())
                                .then(respond(tenantId, message, context.getT1(), context.getT2()))
                                .flatMap(answer -> store(conversation, MessagePosted.ASSISTANT, answer.text(),
                                        answer.grounded(), answer.sources(), answer.toolCalls())
                                        .thenReturn(new Reply(sessionId, conversation.id().toString(), answer.text(),
                                                answer.sources(), answer.grounded())))));
    }

    /** The session's active conversation; expiring an idle one and starting a new one are both published. */
    private Mono<Conversation> open(String tenantId, String sessionId) {
        return conversations.expireIdle(tenantId, sessionId, props.sessionTtl())
                .concatMap(updates::expired)
                .then(conversations.open(tenantId, sessionId))
                .flatMap(opened -> opened.started()
                        ? updates.started(opened.conversation()).thenReturn(opened.conversation())
                        : Mono.just(opened.conversation()));
    }

    /**
     * The agent routes the message (order, product, handoff, store content, off topic) and answers with the
     * right tool; answers from the store's pages go through retrieval (the query redacted) and the
     * configured responder (the LLM, or the extractive offline one).
     */
    private Mono<Answer> respond(String tenantId, String message, List<Turn> history, List<String> earlierUserMessages) {
        String previousAssistant = history.stream().filter(t -> !t.fromUser()).reduce((a, b) -> b).map(Turn::content).orElse(null);
        return agent.respond(tenantId, message, previousAssistant, earlierUserMessages,
                        query -> retrieve(tenantId, Pii.redact(query), history),
                        passages -> answers.answer(message, passages, history))
                .onErrorResume(e -> {
                    log.warn("retrieval failed: {}", Pii.describe(e));
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

    /**
     * Stores a message redacted, then publishes it and the conversation's new state. An assistant message keeps
     * what its sources published (the store's own contact details); a user message with personal data keeps its
     * original text privately, for the conversation's tools, until the conversation expires.
     */
    private Mono<Void> store(Conversation conversation, String role, String text, Boolean grounded, List<Passage> sources,
                             List<ToolCall> toolCalls) {
        boolean fromUser = MessagePosted.USER.equals(role);
        String content = fromUser ? Pii.redact(text) : Pii.redact(text, published(sources));
        String original = fromUser && !content.equals(text) ? text : null;
        UUID messageId = UUID.randomUUID();
        List<String> urls = sources.stream().map(Passage::url).distinct().toList();
        return conversations.append(conversation.id(), messageId, role, content, original, grounded,
                        json.writeValueAsString(sources), json.writeValueAsString(toolCalls))
                .flatMap(updated -> publisher.publish(new MessagePosted(updated.tenantId(), updated.id().toString(),
                                updated.sessionId(), messageId.toString(), role, content, grounded, urls, updated.lastActivityAt()))
                        .then(updates.message(updated)));
    }

    private static List<String> published(List<Passage> sources) {
        return sources.stream().flatMap(p -> Stream.of(p.text(), p.title(), p.snippet())).filter(Objects::nonNull).toList();
    }
}
