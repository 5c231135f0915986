package dev.concierge.chat.conversation;

import dev.concierge.chat.agent.ShopAgent;
import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.answering.AnswerInterrupted;
import dev.concierge.chat.answering.AnswerService;
import dev.concierge.chat.answering.StoreContact;
import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.conversation.internal.ConversationRepository.Conversation;
import dev.concierge.chat.conversation.internal.ConversationRepository;
import dev.concierge.chat.privacy.Pii;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.retrieval.SearchClient;
import dev.concierge.chat.tenants.TenantSettings;
import dev.concierge.chat.tools.ToolCall;
import dev.concierge.contracts.MessagePosted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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
    private final TenantSettings settings;

    private final Timer answerTimer;
    private final Timer retrievalTimer;
    private final Timer persistenceTimer;

    public ChatService(MeterRegistry meters, ConversationRepository conversations, SearchClient search, AnswerService answers,
                       MessagePostedPublisher publisher, ConversationUpdatedPublisher updates, ChatProperties props,
                       JsonMapper json, ShopAgent agent, TenantSettings settings) {
        this.agent = agent;
        this.settings = settings;
        this.answerTimer = Timer.builder("concierge.chat.answer").description("a POST /api/chat turn, end to end inside chat-service")
                .register(meters);
        this.retrievalTimer = Timer.builder("concierge.chat.retrieval").description("searches of the store's pages (HTTP to search-service)")
                .register(meters);
        this.persistenceTimer = Timer.builder("concierge.chat.persistence").description("opening the conversation, reading history, storing messages")
                .register(meters);
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
        return timed(answerTimer, timed(persistenceTimer, open(tenantId, sessionId)).flatMap(conversation -> timed(persistenceTimer, Mono.zip(
                        history(conversation),
                        conversations.userMessagesAsWritten(conversation.id(), props.historyTurns()),
                        settings.of(tenantId)))
                .flatMap(context -> store(conversation, MessagePosted.USER, message, null, List.of(), List.of())
                                .then(respond(tenantId, sessionId, message, context.getT1(), context.getT2(),
                                        passages -> answers.answer(tenantId, sessionId, message, passages, context.getT1(),
                                                context.getT3().supportEmail(), context.getT3().llm())))
                                .flatMap(answer -> store(conversation, MessagePosted.ASSISTANT, answer.text(),
                                        answer.grounded(), answer.sources(), answer.toolCalls())
                                        .thenReturn(new Reply(sessionId, conversation.id().toString(), answer.text(),
                                                answer.sources(), answer.grounded()))))));
    }

    /** Records how long {@code work} takes from subscription to its end (the chat load benchmark reads these). */
    private static <T> Mono<T> timed(Timer timer, Mono<T> work) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return work.doFinally(signal -> timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
        });
    }

    /** What a streamed turn sends: pieces of the answer's text in order, then the reply or a failure. */
    public sealed interface Streamed permits Delta, Done, Failed {
    }

    /** The next piece of the answer's text. */
    public record Delta(String text) implements Streamed {
    }

    /** The turn is over: the reply exactly as {@link #chat} returns it (its message is the whole text). */
    public record Done(Reply reply) implements Streamed {
    }

    /** The turn failed after the stream had started; {@code conversationId} is null when none was opened. */
    public record Failed(String sessionId, String conversationId, boolean interrupted, String detail) implements Streamed {
    }

    /** Words per piece when an answer that is whole at once (offline, a tool's, a fallback) is sent in pieces. */
    static final int WORDS_PER_DELTA = 3;
    /** Closes the stored text of an answer that broke off (or whose reader left) before it was complete. */
    static final String INTERRUPTED = "[The answer was interrupted before it was complete.]";
    static final String INTERRUPTED_DETAIL = "The answer was interrupted. Please ask again.";
    static final String FAILED_DETAIL = "Something went wrong while answering. Please try again.";

    /**
     * One chat turn as a stream: the same turn as {@link #chat} (the question stored and published first, the
     * answer after), with the answer's text sent in pieces as it is made: the model's tokens as it writes
     * them, or an answer that is whole at once in groups of {@value #WORDS_PER_DELTA} words. Ends with
     * {@link Done}, or with {@link Failed} when something broke after the stream started.
     *
     * <p>The turn runs on its own, not as part of the caller's subscription. When the caller goes away (the
     * shopper closed the page) an answer that is complete is still stored and published; one still being
     * written is cancelled (the model's request with it) and stored as the text sent so far closed by
     * {@value #INTERRUPTED} (ungrounded, no sources), as is an answer whose model broke off mid-answer; the
     * conversation's history then shows what the shopper was shown.
     */
    public Flux<Streamed> stream(String tenantId, String sessionId, String message) {
        return Flux.deferContextual(callerContext -> {
            Outlet outlet = new Outlet();
            AtomicReference<String> conversationId = new AtomicReference<>();
            open(tenantId, sessionId)
                    .doOnNext(conversation -> conversationId.set(conversation.id().toString()))
                    .flatMap(conversation -> streamTurn(tenantId, sessionId, message, conversation, outlet))
                    .contextWrite(callerContext)
                    .subscribe(null, error -> {
                        log.warn("streamed chat failed: {}", Pii.describe(error));
                        outlet.emit(new Failed(sessionId, conversationId.get(), false, FAILED_DETAIL));
                        outlet.complete();
                    }, outlet::complete);
            return outlet.events.asFlux().doOnCancel(() -> outlet.callerLeft.tryEmitValue(true));
        });
    }

    private Mono<Void> streamTurn(String tenantId, String sessionId, String message, Conversation conversation,
                                  Outlet outlet) {
        return Mono.zip(history(conversation),
                        conversations.userMessagesAsWritten(conversation.id(), props.historyTurns()),
                        settings.of(tenantId))
                .flatMap(context -> store(conversation, MessagePosted.USER, message, null, List.of(), List.of())
                        .then(respond(tenantId, sessionId, message, context.getT1(), context.getT2(),
                                passages -> answers.stream(tenantId, context.getT3().llm(), message, passages,
                                        context.getT1(), context.getT3().supportEmail(), outlet::delta))
                                .takeUntilOther(outlet.callerLeft.asMono()) // cancels the model's request too
                                .map(Optional::of)
                                .defaultIfEmpty(Optional.empty())))
                .flatMap(answer -> answer.isPresent()
                        ? answered(conversation, sessionId, answer.get(), outlet)
                        : Mono.defer(() -> {
                            log.info("the shopper left conversation {} before its answer was complete", conversation.id());
                            return interrupted(conversation, outlet.sent(), List.of());
                        }))
                .onErrorResume(AnswerInterrupted.class, e -> interrupted(conversation, outlet.sent(), e.toolCalls())
                        .then(Mono.fromRunnable(() -> outlet.emit(
                                new Failed(sessionId, conversation.id().toString(), true, INTERRUPTED_DETAIL)))));
    }

    /** Sends what is left of a complete answer, stores and publishes it, then sends {@link Done}. */
    private Mono<Void> answered(Conversation conversation, String sessionId, Answer answer, Outlet outlet) {
        rest(answer.text(), outlet.sent()).forEach(piece -> outlet.emit(new Delta(piece)));
        return store(conversation, MessagePosted.ASSISTANT, answer.text(), answer.grounded(), answer.sources(),
                answer.toolCalls())
                .then(Mono.fromRunnable(() -> outlet.emit(new Done(new Reply(sessionId, conversation.id().toString(),
                        answer.text(), answer.sources(), answer.grounded())))));
    }

    /**
     * Where one streamed turn sends its events, in order (the model's token callbacks and the turn never emit at
     * once; events are dropped once the caller has gone), with the text sent so far and whether the caller left.
     * Events wait in an unbounded buffer while the caller is slow: a turn sends one answer's worth.
     */
    private static final class Outlet {

        private static final Duration EMIT_RETRY = Duration.ofSeconds(1);

        final Sinks.Many<Streamed> events = Sinks.many().unicast().onBackpressureBuffer();
        final Sinks.One<Boolean> callerLeft = Sinks.one();
        private final StringBuffer sent = new StringBuffer();

        void delta(String text) {
            sent.append(text);
            emit(new Delta(text));
        }

        void emit(Streamed item) {
            events.emitNext(item, Sinks.EmitFailureHandler.busyLooping(EMIT_RETRY));
        }

        void complete() {
            events.emitComplete(Sinks.EmitFailureHandler.busyLooping(EMIT_RETRY));
        }

        String sent() {
            return sent.toString();
        }
    }

    private static final Pattern WORD_GROUP = Pattern.compile("\\s*(?:\\S+\\s*){1," + WORDS_PER_DELTA + "}");

    /**
     * The pieces of {@code text} still to send after {@code sent}: all of it in word groups when nothing (or
     * only whitespace) was sent, i.e. an answer whole at once; the rest when the text continues what was sent;
     * else none (the agent wrapped a streamed model answer: {@link Done}'s message is the whole text).
     */
    static List<String> rest(String text, String sent) {
        if (sent.isBlank()) {
            return wordGroups(text);
        }
        return text.startsWith(sent) && text.length() > sent.length() ? List.of(text.substring(sent.length())) : List.of();
    }

    /** {@code text} in groups of up to {@value #WORDS_PER_DELTA} words, each with the whitespace after it; they join to it. */
    static List<String> wordGroups(String text) {
        List<String> groups = new ArrayList<>();
        Matcher m = WORD_GROUP.matcher(text);
        while (m.find()) {
            groups.add(m.group());
        }
        return groups;
    }

    /** Stores an answer that broke off: what was sent, closed by a note; ungrounded, no sources. */
    private Mono<Void> interrupted(Conversation conversation, String sent, List<ToolCall> toolCalls) {
        String text = sent.isBlank() ? INTERRUPTED : sent.strip() + " " + INTERRUPTED;
        return store(conversation, MessagePosted.ASSISTANT, text, false, List.of(), toolCalls);
    }

    /**
     * The conversation so far for the next answer: the stored summary of its older messages (as a
     * {@link Turn#summary} first) and the latest {@code historyTurns} messages after it. When the messages not yet
     * summarised are over the history's share of the token budget, all but the last {@code verbatimTurns} of them
     * are condensed, with the previous summary, into a new one, stored on the conversation first.
     */
    private Mono<List<Turn>> history(Conversation conversation) {
        ContextBudget budget = answers.budget();
        return conversations.summary(conversation.id()).flatMap(stored -> conversations.turnsAfter(conversation.id(), stored.upto())
                .flatMap(turns -> {
                    int tokens = ContextBudget.estimate(stored.text()) + turns.stream().mapToInt(t -> ContextBudget.estimate(t.content())).sum();
                    int keep = Math.max(1, budget.verbatimTurns());
                    if (tokens <= budget.history() || turns.size() <= keep) {
                        return Mono.just(withSummary(stored.text(), turns));
                    }
                    List<Turn> older = turns.subList(0, turns.size() - keep);
                    List<Turn> recent = turns.subList(turns.size() - keep, turns.size());
                    int upto = stored.upto() + older.size();
                    return settings.of(conversation.tenantId())
                            .flatMap(tenant -> answers.summarise(conversation.tenantId(), tenant.llm(), stored.text(), older))
                            .flatMap(summary -> conversations.saveSummary(conversation.id(), summary, upto)
                                    .doOnSuccess(v -> log.info("summarised the first {} messages of conversation {}", upto,
                                            conversation.id()))
                                    .thenReturn(withSummary(summary, recent)));
                }));
    }

    private List<Turn> withSummary(String summary, List<Turn> turns) {
        List<Turn> history = new ArrayList<>();
        if (summary != null && !summary.isBlank()) {
            history.add(Turn.summary(summary));
        }
        history.addAll(turns.subList(Math.max(0, turns.size() - props.historyTurns()), turns.size()));
        return history;
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
    private Mono<Answer> respond(String tenantId, String sessionId, String message, List<Turn> history,
                                 List<String> earlierUserMessages, Function<List<Passage>, Mono<Answer>> answerFromPages) {
        String previousAssistant = history.stream().filter(t -> !t.fromUser() && !t.isSummary()).reduce((a, b) -> b).map(Turn::content).orElse(null);
        return settings.of(tenantId).flatMap(tenant -> agent.respond(tenantId, sessionId, message, previousAssistant, earlierUserMessages,
                        query -> retrieve(tenantId, Pii.redact(query), history), answerFromPages)
                .onErrorResume(e -> !(e instanceof AnswerInterrupted), e -> {
                    log.warn("retrieval failed: {}", Pii.describe(e));
                    return Mono.just(Answer.ungrounded(SEARCH_DOWN));
                })
                .map(answer -> StoreContact.apply(answer, tenant.supportEmailIfAny())));
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
        return timed(retrievalTimer, search.search(tenantId, query, props.retrievalLimit()))
                .map(hits -> hits.stream().filter(p -> p.score() >= props.minScore()).toList());
    }

    /**
     * Stores a message redacted, then publishes it and the conversation's new state. An assistant message keeps
     * what its sources published (the store's own contact details); a user message with personal data keeps its
     * original text privately, for the conversation's tools, until the conversation expires.
     */
    private Mono<Void> store(Conversation conversation, String role, String text, Boolean grounded, List<Passage> sources,
                             List<ToolCall> toolCalls) {
        return timed(persistenceTimer, storeUntimed(conversation, role, text, grounded, sources, toolCalls));
    }

    private Mono<Void> storeUntimed(Conversation conversation, String role, String text, Boolean grounded, List<Passage> sources,
                             List<ToolCall> toolCalls) {
        boolean fromUser = MessagePosted.USER.equals(role);
        if (!fromUser) {
            // the store's support address in an answer is the store's, not the shopper's: not redacted
            return settings.of(conversation.tenantId()).flatMap(tenant -> persist(conversation, role, text,
                    Pii.redact(text, published(sources, tenant.supportEmailIfAny())), null, grounded, sources, toolCalls));
        }
        String content = Pii.redact(text);
        return persist(conversation, role, text, content, content.equals(text) ? null : text, grounded, sources, toolCalls);
    }

    private Mono<Void> persist(Conversation conversation, String role, String text, String content, String original,
                               Boolean grounded, List<Passage> sources, List<ToolCall> toolCalls) {
        UUID messageId = UUID.randomUUID();
        List<String> urls = sources.stream().map(Passage::url).distinct().toList();
        return conversations.append(conversation.id(), messageId, role, content, original, grounded,
                        json.writeValueAsString(sources), json.writeValueAsString(toolCalls))
                .flatMap(updated -> publisher.publish(new MessagePosted(updated.tenantId(), updated.id().toString(),
                                updated.sessionId(), messageId.toString(), role, content, grounded, urls, updated.lastActivityAt()))
                        .then(updates.message(updated)));
    }

    private static List<String> published(List<Passage> sources, Optional<String> supportEmail) {
        List<String> published = new ArrayList<>(sources.stream().flatMap(p -> Stream.of(p.text(), p.title(), p.snippet()))
                .filter(Objects::nonNull).toList());
        supportEmail.ifPresent(published::add);
        return published;
    }
}
