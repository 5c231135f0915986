package dev.concierge.chat.agent;

import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.answering.AnswerInterrupted;
import dev.concierge.chat.answering.OfflineResponder;
import dev.concierge.chat.answering.StoreContact;
import dev.concierge.chat.answering.PromptInjection;
import dev.concierge.chat.tools.ToolCall;
import dev.concierge.chat.intent.Intent;
import dev.concierge.chat.intent.IntentRouter;
import dev.concierge.chat.intent.OrderDetails;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.tools.StoreTools;
import dev.concierge.chat.tools.ToolArgumentException;
import dev.concierge.chat.tools.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The offline agent: routes each message to an intent ({@link IntentRouter}) and answers it with the right
 * tool — order lookups with {@code lookup_order} once both the order number and the e-mail are known (it
 * asks for what is missing), product questions with {@code search_products} (live price and stock, citing
 * the product's page; for a variable product also {@code check_stock}, to name the stock of the size or colour
 * asked for, or the variations in stock), a request for a person with the store's contact details, off-topic questions with a
 * plain refusal, and everything else from the store's pages through retrieval and the extractive
 * {@link OfflineResponder}. A tool that fails or is not connected becomes an honest sentence; the answer
 * falls back to the store's pages where they can help, and never states a price, stock level or order status
 * that no tool or page gave. Every tool call is recorded on the answer. A message that asks to ignore, change
 * or reveal the assistant's rules gets {@link PromptInjection#REFUSAL} before anything else runs.
 */
public class ShopAgent {

    private static final Logger log = LoggerFactory.getLogger(ShopAgent.class);

    static final String ASK_ORDER_DETAILS = "I can look that up for you. What is your order number and the e-mail address you used for the order?";
    static final String ASK_ORDER_NUMBER = "Thanks! What is your order number? You'll find it in your order confirmation e-mail.";
    static final String ASK_EMAIL = "Thanks! And the e-mail address you used for the order? I need both to find it.";
    static final String OUT_OF_SCOPE = "I'm sorry, I don't know that: I can only help with questions about this store, "
            + "its products, orders, shipping, returns and the like. Is there anything about the store I can help you with?";
    static final String HANDOFF = "I can't hand you over to a person from this chat, but the store's team can help you directly.";

    /** The most variable products of one answer whose stock per variation is checked. */
    static final int MAX_STOCK_CHECKS = 3;

    private final IntentRouter router;
    private final StoreTools tools;
    private final OfflineResponder offline;

    public ShopAgent(IntentRouter router, StoreTools tools, OfflineResponder offline) {
        this.router = router;
        this.tools = tools;
        this.offline = offline;
    }

    /**
     * @param message              the shopper's message as written
     * @param previousAssistant    the assistant's previous message, or null
     * @param earlierUserMessages  the shopper's earlier messages in this conversation as written, newest first
     * @param retrieve             the store's passages for a question (retrieval with follow-up handling),
     *                             already cut at the similarity floor
     * @param answerFromPages      how an answer is made from passages (the LLM when configured, else extractive)
     */
    public Mono<Answer> respond(String tenantId, String message, String previousAssistant, List<String> earlierUserMessages,
                                Function<String, Mono<List<Passage>>> retrieve,
                                Function<List<Passage>, Mono<Answer>> answerFromPages) {
        return respond(tenantId, null, message, previousAssistant, earlierUserMessages, retrieve, answerFromPages);
    }

    /** Like the other {@code respond}; {@code sessionId} goes with order lookups (limited per session). */
    public Mono<Answer> respond(String tenantId, String sessionId, String message, String previousAssistant,
                                List<String> earlierUserMessages, Function<String, Mono<List<Passage>>> retrieve,
                                Function<List<Passage>, Mono<Answer>> answerFromPages) {
        if (PromptInjection.asksToBreakRules(message)) {
            // fixed, without routing, retrieval, tools or the model: nothing the message says gets acted on
            return Mono.just(Answer.ungrounded(PromptInjection.REFUSAL));
        }
        // routing may run the MiniLM model (tens of ms of CPU): never on an I/O thread
        return Mono.fromCallable(() -> router.route(message, previousAssistant))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(routed -> answer(routed, tenantId, sessionId, message, earlierUserMessages, retrieve, answerFromPages));
    }

    private Mono<Answer> answer(IntentRouter.Routed routed, String tenantId, String sessionId, String message,
                                List<String> earlierUserMessages,
                                Function<String, Mono<List<Passage>>> retrieve,
                                Function<List<Passage>, Mono<Answer>> answerFromPages) {
        log.debug("intent {}", routed);
        List<ToolCall> calls = new CopyOnWriteArrayList<>();
        Mono<Answer> answer = switch (routed.intent()) {
            case GREETING -> Mono.just(greeting(message));
            case ORDER_STATUS -> order(tenantId, sessionId, message, earlierUserMessages, calls);
            case PRODUCT -> product(tenantId, message, retrieve, answerFromPages, calls);
            case HANDOFF -> handoff(retrieve);
            case OUT_OF_SCOPE -> retrieve.apply(message).flatMap(found -> strong(found)
                    ? answerFromPages.apply(found) : Mono.just(Answer.ungrounded(OUT_OF_SCOPE)));
            case STORE_CONTENT -> retrieve.apply(message).flatMap(found -> found.isEmpty()
                    ? Mono.just(Answer.ungrounded(OfflineResponder.IDK)) : answerFromPages.apply(found));
        };
        return answer.map(a -> a.withToolCalls(List.copyOf(calls)))
                .onErrorMap(AnswerInterrupted.class, e -> e.withToolCalls(calls)); // a streamed answer broke off
    }

    private Answer greeting(String message) {
        Answer greeting = offline.greetingOrNull(message);
        return greeting != null ? greeting : Answer.ungrounded("Hello! Ask me anything about our products, shipping, returns or orders.");
    }

    private Mono<Answer> order(String tenantId, String sessionId, String message, List<String> earlier, List<ToolCall> calls) {
        List<String> newestFirst = new ArrayList<>();
        newestFirst.add(message);
        newestFirst.addAll(earlier);
        OrderDetails details = OrderDetails.fromMessages(newestFirst);
        if (details.orderNumber() == null && details.email() == null) {
            return Mono.just(Answer.ungrounded(ASK_ORDER_DETAILS));
        }
        if (details.orderNumber() == null) {
            return Mono.just(Answer.ungrounded(ASK_ORDER_NUMBER));
        }
        if (details.email() == null) {
            return Mono.just(Answer.ungrounded(ASK_EMAIL));
        }
        Mono<ToolResult> lookup;
        try {
            lookup = tools.lookupOrder(tenantId, sessionId, details.orderNumber(), details.email());
        } catch (ToolArgumentException e) {
            return Mono.just(Answer.ungrounded("That doesn't look like an order number and e-mail address I can look up ("
                    + e.argument() + "). Could you check them?"));
        }
        return lookup.map(result -> {
            calls.add(result.call());
            if (!result.ok()) {
                return Answer.ungrounded(result.sentence() + " " + StoreContact.GENERIC);
            }
            return Answer.ungrounded(OrderSummaries.of(result.data()));
        });
    }

    private Mono<Answer> product(String tenantId, String message, Function<String, Mono<List<Passage>>> retrieve,
                                 Function<List<Passage>, Mono<Answer>> answerFromPages, List<ToolCall> calls) {
        Mono<ToolResult> search;
        try {
            search = tools.searchProducts(tenantId, message, 3);
        } catch (ToolArgumentException e) {
            search = Mono.empty();
        }
        return search.flatMap(result -> {
            calls.add(result.call());
            JsonNode products = result.ok() && result.data() != null ? result.data().get("products") : null;
            if (products != null && products.isArray() && !products.isEmpty()) {
                return variationStock(tenantId, ProductSummaries.named(message, products), calls)
                        .map(stock -> ProductSummaries.answer(message, products, stock));
            }
            return fromPages(message, retrieve, answerFromPages, result.ok() ? null : result.sentence());
        }).switchIfEmpty(Mono.defer(() -> fromPages(message, retrieve, answerFromPages, null)));
    }

    /**
     * Live stock per variation ({@code check_stock}) of the variable products among {@code named} (at most
     * {@value #MAX_STOCK_CHECKS}), by product id, so the answer can name the size or colour asked for; a product
     * whose check fails is answered with the search's product-level stock.
     */
    private Mono<Map<Long, JsonNode>> variationStock(String tenantId, List<JsonNode> named, List<ToolCall> calls) {
        return Flux.fromIterable(named)
                .filter(p -> "variable".equals(p.path("type").asString("")) && p.path("id").asLong(-1) > 0)
                .take(MAX_STOCK_CHECKS)
                .concatMap(p -> {
                    Mono<ToolResult> check;
                    try {
                        check = tools.checkStock(tenantId, Long.toString(p.get("id").asLong()));
                    } catch (ToolArgumentException e) {
                        return Mono.empty();
                    }
                    return check.flatMap(result -> {
                        calls.add(result.call());
                        return result.ok() && result.data() != null
                                ? Mono.just(Map.entry(p.get("id").asLong(), result.data())) : Mono.empty();
                    });
                })
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * The store's pages answer; when live data could not be had and the question is about stock, the answer
     * says so first: a page's stock may be out of date (a page's price is the store's own published price).
     */
    private Mono<Answer> fromPages(String message, Function<String, Mono<List<Passage>>> retrieve,
                                   Function<List<Passage>, Mono<Answer>> answerFromPages, String toolSentence) {
        return retrieve.apply(message).flatMap(found -> {
            if (found.isEmpty()) {
                return Mono.just(Answer.ungrounded(toolSentence != null
                        ? toolSentence + " " + OfflineResponder.IDK : OfflineResponder.IDK));
            }
            return answerFromPages.apply(found).map(a -> toolSentence != null && a.grounded() && asksLiveData(message)
                    ? new Answer(toolSentence + " " + a.text(), a.sources(), true, a.toolCalls())
                    : a);
        });
    }

    private Mono<Answer> handoff(Function<String, Mono<List<Passage>>> retrieve) {
        return retrieve.apply("contact customer service email phone opening hours").map(found -> {
            if (found.isEmpty()) {
                return Answer.ungrounded(HANDOFF + " " + StoreContact.GENERIC);
            }
            Passage contact = found.get(0);
            return new Answer(HANDOFF + " " + StoreContact.GENERIC + " Their contact details are on \"" + contact.title() + "\": "
                    + contact.snippet(), List.of(contact), true, List.of());
        });
    }

    private static boolean strong(List<Passage> found) {
        return !found.isEmpty() && found.get(0).score() >= 0.5;
    }

    private static boolean asksLiveData(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("stock") || m.contains("available") || m.contains("availability");
    }
}
