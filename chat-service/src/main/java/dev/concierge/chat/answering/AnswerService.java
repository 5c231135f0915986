package dev.concierge.chat.answering;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.conversation.Turn;
import dev.concierge.chat.privacy.Pii;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.tenants.TenantSecrets;
import dev.concierge.chat.tenants.TenantSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.concierge.chat.tools.ModelTools;
import dev.concierge.chat.tools.StoreTools;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Chooses how to answer: the language model when one is configured, the offline responder otherwise and
 * whenever the model fails or its circuit is open. With no passage above the similarity floor the
 * answer is "I don't know", whichever responder is in use.
 * <p>
 * Which model is the tenant's choice ({@link TenantSettings.Llm}): {@code offline} never uses one, even when the
 * platform has a key; {@code openai} uses the tenant's own endpoint, model and key (its own client and circuit
 * breaker, {@link TenantModels}); no choice uses the platform's ({@code OPENAI_API_KEY}), if any.
 */
@Service
public class AnswerService {

    private static final Logger log = LoggerFactory.getLogger(AnswerService.class);

    private final OfflineResponder offline;
    private final LlmResponder llm;
    private final StoreTools tools;
    private final Duration toolTimeout;
    private final ContextBudget budget;
    private final TenantModels tenantModels;

    /** Without tools: the model answers from the passages only. */
    public AnswerService(OfflineResponder offline, ChatProperties props) {
        this(offline, props, null, null, ContextBudget.DEFAULT);
    }

    /** Tenants' own keys opened with the development key, at most 200 tenant models kept. */
    public AnswerService(OfflineResponder offline, ChatProperties props, StoreTools tools, Duration toolTimeout,
                         ContextBudget budget) {
        this(offline, props, tools, toolTimeout, budget, TenantSecrets.development(), 200, false);
    }

    /**
     * @param tools       offered to the model (blocking path only) for the tenant asking; null for none
     * @param toolTimeout the longest one tool call may take, its retries included
     * @param secrets      opens tenants' own API keys
     * @param tenantModels how many tenants' own model clients are kept at most
     * @param allowPrivateLlmHosts whether tenants' own LLM endpoints may be on loopback, private or other non-public
     *                     addresses (local runs and tests with a fake model on 127.0.0.1); otherwise such calls
     *                     are refused when they are made
     */
    @Autowired
    public AnswerService(OfflineResponder offline, ChatProperties props, StoreTools tools,
                         @Value("${concierge.chat.tool-timeout:${CHAT_TOOL_TIMEOUT:3s}}") Duration toolTimeout,
                         ContextBudget budget, TenantSecrets secrets,
                         @Value("${concierge.chat.tenant-models:200}") int tenantModels,
                         @Value("${concierge.chat.llm-allow-private-hosts:${CHAT_LLM_ALLOW_PRIVATE_HOSTS:false}}")
                         boolean allowPrivateLlmHosts) {
        this.offline = offline;
        this.budget = budget;
        this.tenantModels = new TenantModels(secrets, props.openai(), budget, tenantModels, allowPrivateLlmHosts);
        this.llm = props.openai() != null && props.openai().configured() ? new LlmResponder(props.openai(), budget) : null;
        this.tools = tools;
        this.toolTimeout = toolTimeout == null ? Duration.ofSeconds(3) : toolTimeout;
    }

    public Answer greetingOrNull(String question) {
        return offline.greetingOrNull(question);
    }

    public Mono<Answer> answer(String question, List<Passage> passages, List<Turn> history) {
        return answer(null, question, passages, history);
    }

    /**
     * An answer from the passages; with a model and {@code tenantId}, the model may also call the store's
     * commerce tools for that tenant (their calls recorded on the answer). A model that fails (its tools' failures
     * are honest results, not failures) is replaced by the offline answer.
     */
    public Mono<Answer> answer(String tenantId, String question, List<Passage> passages, List<Turn> history) {
        return answer(tenantId, question, passages, history, null);
    }

    /** Like {@link #answer(String, String, List, List)}; the model offers {@code supportEmail} when it cannot help. */
    public Mono<Answer> answer(String tenantId, String question, List<Passage> passages, List<Turn> history,
                               String supportEmail) {
        return answer(tenantId, question, passages, history, supportEmail, null);
    }

    /**
     * Like {@link #answer(String, String, List, List, String)}, by the model the tenant chose ({@code choice}; null
     * for the platform's).
     */
    public Mono<Answer> answer(String tenantId, String question, List<Passage> passages, List<Turn> history,
                               String supportEmail, TenantSettings.Llm choice) {
        return answer(tenantId, null, question, passages, history, supportEmail, choice);
    }

    /**
     * Like {@link #answer(String, String, List, List, String, TenantSettings.Llm)} for the shopper's chat session
     * {@code sessionId}: the model's {@code lookup_order} calls carry it, so commerce-service limits failed lookups
     * per session (not only per store) on this path too.
     */
    public Mono<Answer> answer(String tenantId, String sessionId, String question, List<Passage> passages,
                               List<Turn> history, String supportEmail, TenantSettings.Llm choice) {
        if (passages.isEmpty()) {
            return Mono.just(Answer.ungrounded(OfflineResponder.IDK));
        }
        LlmResponder llm = responder(tenantId, choice);
        if (llm == null) {
            return Mono.just(offline.answer(question, passages));
        }
        ModelTools modelTools = tools != null && tenantId != null
                ? new ModelTools(tools, tenantId, sessionId, toolTimeout.multipliedBy(4)) : null;
        return llm.answer(question, passages, history, modelTools, supportEmail).onErrorResume(e -> {
            log.warn("language model unavailable ({}); answering offline", Pii.describe(e));
            return Mono.just(offline.answer(question, passages));
        });
    }

    /**
     * Like {@link #answer}, but the model's text is handed to {@code onDelta} token by token as it is written,
     * and the answer made from the whole text (its sources are the passages it cited). Answers that are whole
     * at once (offline, "I don't know", a fallback) hand nothing to {@code onDelta}: the caller sends them in
     * pieces itself. A model that fails before its first token (error, timeout, open circuit) is replaced by
     * the offline answer, at once while the circuit is open; one that fails after tokens were handed on ends
     * in {@link AnswerInterrupted} with the text so far: those tokens have been shown and cannot be taken back.
     */
    public Mono<Answer> stream(String question, List<Passage> passages, List<Turn> history, Consumer<String> onDelta) {
        return stream(question, passages, history, null, onDelta);
    }

    /** Like {@link #stream(String, List, List, Consumer)}; the model offers {@code supportEmail} when it cannot help. */
    public Mono<Answer> stream(String question, List<Passage> passages, List<Turn> history, String supportEmail,
                               Consumer<String> onDelta) {
        return stream(null, null, question, passages, history, supportEmail, onDelta);
    }

    /**
     * Like {@link #stream(String, List, List, String, Consumer)}, by the model tenant {@code tenantId} chose
     * ({@code choice}; null for the platform's).
     */
    public Mono<Answer> stream(String tenantId, TenantSettings.Llm choice, String question, List<Passage> passages,
                               List<Turn> history, String supportEmail, Consumer<String> onDelta) {
        if (passages.isEmpty()) {
            return Mono.just(Answer.ungrounded(OfflineResponder.IDK));
        }
        LlmResponder llm = responder(tenantId, choice);
        if (llm == null) {
            return Mono.just(offline.answer(question, passages));
        }
        return Mono.defer(() -> {
            StringBuilder text = new StringBuilder();
            return llm.stream(question, passages, history, supportEmail)
                    .doOnNext(token -> {
                        text.append(token);
                        onDelta.accept(token);
                    })
                    .then(Mono.defer(() -> text.toString().isBlank()
                            ? Mono.error(new IllegalStateException("the language model answered nothing"))
                            : Mono.just(LlmResponder.cite(text.toString(), llm.passagesSent(question, passages, history, supportEmail)))))
                    .onErrorResume(e -> {
                        if (text.toString().isBlank()) {
                            log.warn("language model unavailable ({}); answering offline", Pii.describe(e));
                            return Mono.just(offline.answer(question, passages));
                        }
                        log.warn("language model failed mid-answer ({})", Pii.describe(e));
                        return Mono.error(new AnswerInterrupted(text.toString(), e));
                    });
        });
    }

    /**
     * The summary of a conversation's older messages after {@code previous} (itself a summary, or null), at most
     * half the history's share of the budget: written by the model when one is configured, else (and whenever the
     * model fails) extractive ({@link Summaries}).
     */
    public Mono<String> summarise(String previous, List<Turn> older) {
        return summarise(null, null, previous, older);
    }

    /** Like {@link #summarise(String, List)}, by the model tenant {@code tenantId} chose ({@code choice}). */
    public Mono<String> summarise(String tenantId, TenantSettings.Llm choice, String previous, List<Turn> older) {
        int max = budget.history() / 2;
        String extractive = Summaries.extractive(previous, older, max);
        LlmResponder llm = responder(tenantId, choice);
        if (llm == null) {
            return Mono.just(extractive);
        }
        return llm.summarise(previous, older, max).onErrorResume(e -> {
            log.warn("language model unavailable for the summary ({}); summarising extractively", Pii.describe(e));
            return Mono.just(extractive);
        });
    }

    /** The context budget the prompts are fitted to. */
    public ContextBudget budget() {
        return budget;
    }

    /** The platform's language model's circuit breaker (its state, metrics, a reset); empty without a model. */
    public Optional<CircuitBreaker> modelCircuit() {
        return Optional.ofNullable(llm).map(LlmResponder::circuit);
    }

    /** The circuit breaker of the model the tenant's {@code choice} answers with; empty when it answers offline. */
    public Optional<CircuitBreaker> modelCircuit(String tenantId, TenantSettings.Llm choice) {
        return Optional.ofNullable(responder(tenantId, choice)).map(LlmResponder::circuit);
    }

    /** How tenants without a choice of their own are answered: {@code openai} with the platform's key, else {@code offline}. */
    public String mode() {
        return llm == null ? "offline" : "openai";
    }

    /** How a tenant with this {@code choice} (null: none) is answered: {@code openai} or {@code offline}. */
    public String mode(TenantSettings.Llm choice) {
        if (choice == null) {
            return mode();
        }
        return choice.isOpenAi() ? "openai" : "offline";
    }

    /**
     * The model a tenant's {@code choice} answers with: the platform's (null without {@code OPENAI_API_KEY}) when it
     * made none, none for {@code offline}, its own for {@code openai}: none either when its key cannot be opened
     * (then it is answered offline, never with the platform's key).
     */
    private LlmResponder responder(String tenantId, TenantSettings.Llm choice) {
        if (choice == null || tenantId == null) {
            return llm;
        }
        if (!choice.isOpenAi()) {
            return null;
        }
        try {
            return tenantModels.responderFor(tenantId, choice);
        } catch (IllegalArgumentException e) {
            log.warn("tenant {}'s own language model cannot be used ({}); answering offline", tenantId, e.getMessage());
            return null;
        }
    }
}
