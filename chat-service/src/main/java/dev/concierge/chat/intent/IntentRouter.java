package dev.concierge.chat.intent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Routes a message to an {@link Intent}: precise rules first (order numbers, "in stock", "talk to a
 * person"), then similarity of the message's embedding to a few exemplars per intent, else
 * {@link Intent#STORE_CONTENT} — the store's pages decide, and a question they do not answer gets "I
 * don't know". A short follow-up ("it's 1234", "ann@example.com") continues the intent of the previous
 * assistant turn when that turn asked for exactly that.
 * <p>
 * The embedding function is the same in-process MiniLM model the index uses; exemplars are embedded once.
 */
public final class IntentRouter {

    /** A message at least this similar to an intent's closest exemplar takes that intent. */
    static final double EXEMPLAR_FLOOR = 0.66;

    private static final Pattern GREETING = Pattern.compile(
            "^(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks|thank you|cheers)\\b.*", Pattern.CASE_INSENSITIVE);
    /** Asking for a person, not for contact details (those are store content: the contact page answers them). */
    /** An order named as such ("order 1041", "#1041"), not any number next to an e-mail address. */
    private static final Pattern NAMED_ORDER = Pattern.compile("(?i)\\border\\b|#\\s*\\d");
    private static final Pattern HANDOFF = Pattern.compile(
            "\\b(talk|speak|chat) (to|with) (a |an |some)?(human|person|real person|someone|somebody|agent|staff|employee|team member)"
                    + "|\\b(real person|live agent|human being|a human)\\b|\\b(make|file|lodge) a complaint\\b|\\bcomplain\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ORDER = Pattern.compile(
            "\\bmy (order|parcel|package|delivery|shipment)\\b.*\\b(where|status|track|arrive|(not|n't|never) (yet )?(arrived|come|came)|shipped|sent|dispatched|left|late|delayed)\\b"
                    + "|\\b(where|when)\\b.*\\bmy (order|parcel|package|delivery|shipment)\\b"
                    + "|\\b(status|track|tracking)\\b.*\\b(my|an?|the|of) (order|parcel|package|delivery|shipment)\\b"
                    + "|\\border\\s*(no\\.?|number|nr\\.?)?\\s*#?\\d{3,}\\b.*\\b(where|status|arriv|shipped|sent|dispatched|delivered|late)\\b"
                    + "|\\btracking (number|code|link)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRODUCT = Pattern.compile(
            "\\b(in stock|out of stock|back in stock|available|availability|how much (is|are|does|do)|price of|what does .* cost|cost of|sku)\\b",
            Pattern.CASE_INSENSITIVE);

    static final Map<Intent, List<String>> EXEMPLARS = new EnumMap<>(Map.of(
            Intent.HANDOFF, List.of(
                    "I want to speak to a real person", "Can someone from your team call me back?",
                    "I'd like to make a complaint", "Let me talk to an employee please",
                    "Please put me through to a person", "I don't want to talk to a bot"),
            Intent.ORDER_STATUS, List.of(
                    "Where is my order?", "Has my parcel been shipped yet?", "When will my package arrive?",
                    "Can you track my delivery?", "My order still hasn't arrived", "What is the status of order 1234?"),
            Intent.PRODUCT, List.of(
                    "Is the floor pump in stock?", "How much does the rain jacket cost?", "Do you have this helmet in size M?",
                    "What is the price of the bike lock?", "Do you sell tubeless tyres?", "Which lights do you have?"),
            Intent.OUT_OF_SCOPE, List.of(
                    "What's the weather tomorrow?", "Tell me a joke", "Who won the football match last night?",
                    "Write me a poem about love", "Can you help me with my maths homework?", "Write Python code to sort a list",
                    "What is the capital of Australia?", "Who will win the election?")));

    private final Function<List<String>, List<float[]>> embed;
    private volatile Map<Intent, List<float[]>> exemplarVectors;

    public IntentRouter(Function<List<String>, List<float[]>> embed) {
        this.embed = embed;
    }

    /** The intent, given the previous assistant message (may be null) for follow-ups. */
    public Routed route(String message, String previousAssistantMessage) {
        String m = message.strip();
        if (GREETING.matcher(m).matches() && m.split("\\s+").length <= 4) {
            return new Routed(Intent.GREETING, "rule", 1.0);
        }
        Intent followUp = followUp(m, previousAssistantMessage);
        if (followUp != null) {
            return new Routed(followUp, "follow-up", 1.0);
        }
        if (HANDOFF.matcher(m).find()) {
            return new Routed(Intent.HANDOFF, "rule", 1.0);
        }
        if (ORDER.matcher(m).find()) {
            return new Routed(Intent.ORDER_STATUS, "rule", 1.0);
        }
        OrderDetails details = OrderDetails.from(m);
        if (details.orderNumber() != null && details.email() != null && NAMED_ORDER.matcher(m).find()
                && onlyOrderDetails(m)) {
            // "Order 1041, anna@example.com": both things an order lookup needs, and nothing else asked
            // ("Can I return order #1234? I'm anna@…" asks something else: it is not routed here)
            return new Routed(Intent.ORDER_STATUS, "rule", 1.0);
        }
        if (PRODUCT.matcher(m).find()) {
            return new Routed(Intent.PRODUCT, "rule", 1.0);
        }
        float[] v = embed.apply(List.of(m)).get(0);
        Intent best = Intent.STORE_CONTENT;
        double bestScore = 0;
        for (Map.Entry<Intent, List<float[]>> e : exemplars().entrySet()) {
            for (float[] x : e.getValue()) {
                double s = cosine(v, x);
                if (s > bestScore) {
                    bestScore = s;
                    best = e.getKey();
                }
            }
        }
        return bestScore >= EXEMPLAR_FLOOR ? new Routed(best, "exemplar", bestScore)
                : new Routed(Intent.STORE_CONTENT, "default", bestScore);
    }

    private static final Pattern DETAIL_WORDS = Pattern.compile(
            "(?i)order|number|no|nr|e|mail|email|address|is|my|and|it|its|here|hi|hello|thanks|please|the");

    /** Whether the message holds nothing but an order number and an e-mail address (and words naming them). */
    static boolean onlyOrderDetails(String message) {
        String rest = OrderDetails.EMAIL.matcher(message).replaceAll(" ").replaceAll("[0-9#]+", " ");
        long words = Arrays.stream(rest.split("[^\\p{L}]+")).filter(w -> !w.isBlank())
                .filter(w -> !DETAIL_WORDS.matcher(w).matches()).count();
        return words == 0;
    }

    /** A bare order number or e-mail answering the assistant's request for one continues the order lookup. */
    private static Intent followUp(String message, String previous) {
        if (previous == null || !OrderDetails.ASKED.matcher(previous).find()) {
            return null;
        }
        OrderDetails details = OrderDetails.from(message);
        boolean shortAnswer = message.split("\\s+").length <= 12;
        return shortAnswer && (details.orderNumber() != null || details.email() != null) ? Intent.ORDER_STATUS : null;
    }

    private Map<Intent, List<float[]>> exemplars() {
        Map<Intent, List<float[]>> vectors = exemplarVectors;
        if (vectors == null) {
            vectors = new EnumMap<>(Intent.class);
            for (Map.Entry<Intent, List<String>> e : EXEMPLARS.entrySet()) {
                vectors.put(e.getKey(), new ArrayList<>(embed.apply(e.getValue())));
            }
            exemplarVectors = vectors;
        }
        return vectors;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The intent, how it was decided ({@code rule}, {@code follow-up}, {@code exemplar}, {@code default}) and the similarity. */
    public record Routed(Intent intent, String how, double score) {

        @Override
        public String toString() {
            return intent.name().toLowerCase(Locale.ROOT) + " (" + how + ", " + String.format(Locale.ROOT, "%.2f", score) + ")";
        }
    }
}
