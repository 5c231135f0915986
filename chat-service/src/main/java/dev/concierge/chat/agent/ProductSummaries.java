package dev.concierge.chat.agent;

import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.retrieval.Passage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A product answer from commerce-service's live data ({@code products[{id, name, sku, price, currency,
 * stock_status, stock_quantity, permalink}]}): price and stock come from the store's system, never from
 * page text, and each product's page is cited.
 */
final class ProductSummaries {

    private ProductSummaries() {
    }

    static Answer answer(String question, JsonNode products) {
        List<String> lines = new ArrayList<>();
        List<Passage> sources = new ArrayList<>();
        for (JsonNode p : named(question, products)) {
            String name = p.path("name").asString("");
            StringBuilder line = new StringBuilder(name);
            if (p.hasNonNull("sku")) {
                line.append(" (SKU ").append(p.get("sku").asString()).append(')');
            }
            if (p.hasNonNull("price")) {
                line.append(": ").append(p.path("currency").asString("")).append(' ').append(p.get("price").asString());
            }
            String stock = p.path("stock_status").asString("");
            if (!stock.isEmpty()) {
                line.append(", ").append(stock.equals("instock") ? "in stock" : stock.equals("outofstock") ? "out of stock"
                        : stock.equals("onbackorder") ? "available on backorder" : stock);
                if (p.hasNonNull("stock_quantity") && stock.equals("instock")) {
                    line.append(" (").append(p.get("stock_quantity").asInt()).append(" available)");
                }
            }
            lines.add(line.toString().replace("  ", " "));
            if (p.hasNonNull("permalink")) {
                String url = p.get("permalink").asString();
                sources.add(new Passage(url, name, null, line.toString(), line.toString(), 0, 1.0));
            }
        }
        String text = (lines.size() == 1 ? "" : "Here is what I found: ") + String.join("; ", lines) + ".";
        return new Answer(text, sources, !sources.isEmpty(), List.of());
    }

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /**
     * The products the question names: commerce-service's search is fuzzy and also returns near misses ("the
     * TrackPro floor pump" finds the mini pump too), so when some products share more words of their name or
     * SKU with the question than others, only those are kept. When none shares a word (the shopper asked
     * "any locks?" in other words), all are kept, in the store's order.
     */
    static List<JsonNode> named(String question, JsonNode products) {
        Set<String> asked = words(question);
        List<JsonNode> all = new ArrayList<>();
        products.forEach(all::add);
        int best = 0;
        Map<JsonNode, Integer> overlap = new IdentityHashMap<>();
        for (JsonNode p : all) {
            Set<String> named = words(p.path("name").asString("") + " " + p.path("sku").asString(""));
            named.retainAll(asked);
            overlap.put(p, named.size());
            best = Math.max(best, named.size());
        }
        if (best == 0) {
            return all;
        }
        int top = best;
        return all.stream().filter(p -> overlap.get(p) == top).toList();
    }

    /** Lower-case words of three letters or more, a plural's trailing "s" dropped ("pumps" = "pump"). */
    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (w.length() >= 3) {
                words.add(w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w);
            }
        }
        return words;
    }
}
