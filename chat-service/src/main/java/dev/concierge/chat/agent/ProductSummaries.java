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
 * A product answer from commerce-service's live data ({@code products[{id, name, sku, type, price, currency,
 * stock_status, stock_quantity, permalink}]}): price and stock come from the store's system, never from
 * page text, and each product's page is cited. For a variable product whose live stock per variation is known
 * ({@code check_stock}'s {@code variations[{attributes[{name, option}], stock_status, stock_quantity}]}), the
 * answer names the stock of the variation the question asks for ("size M"), else lists the variations in stock.
 */
final class ProductSummaries {

    private ProductSummaries() {
    }

    static Answer answer(String question, JsonNode products) {
        return answer(question, products, Map.of());
    }

    /** @param liveStock check_stock's answers by product id, for the products whose stock per variation is known */
    static Answer answer(String question, JsonNode products, Map<Long, JsonNode> liveStock) {
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
            JsonNode live = liveStock.get(p.path("id").asLong(-1));
            JsonNode variations = live == null ? null : live.path("variations");
            String stockStatus = p.path("stock_status").asString("");
            if (variations != null && variations.isArray() && !variations.isEmpty()) {
                line.append(", ").append(variationStock(question, variations));
            } else if (!stockStatus.isEmpty()) {
                line.append(", ").append(stock(p));
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

    /**
     * The stock phrase of a variable product from check_stock's variations: the variations the question names by an
     * attribute value ("size M", "in Sand") with the stock of each; otherwise the variations in stock (and those on
     * backorder), or that none is.
     */
    static String variationStock(String question, JsonNode variations) {
        List<JsonNode> asked = asked(question, variations);
        if (!asked.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode v : asked) {
                parts.add(label(v) + ": " + stock(v));
            }
            return String.join("; ", parts);
        }
        List<String> inStock = new ArrayList<>();
        List<String> backorder = new ArrayList<>();
        for (JsonNode v : variations) {
            String status = v.path("stock_status").asString("");
            if (status.equals("instock")) {
                inStock.add(label(v) + (v.hasNonNull("stock_quantity") ? " (" + v.get("stock_quantity").asInt() + " available)" : ""));
            } else if (status.equals("onbackorder")) {
                backorder.add(label(v));
            }
        }
        String text = inStock.isEmpty() ? "none of its variations is in stock right now"
                : "in stock in " + String.join(", ", inStock);
        return backorder.isEmpty() ? text : text + "; available on backorder in " + String.join(", ", backorder);
    }

    /** "Size M / Colour Sand". */
    private static String label(JsonNode variation) {
        List<String> parts = new ArrayList<>();
        for (JsonNode a : variation.path("attributes")) {
            parts.add((a.path("name").asString("") + " " + a.path("option").asString("")).strip());
        }
        return parts.isEmpty() ? "SKU " + variation.path("sku").asString("?") : String.join(" / ", parts);
    }

    private static String stock(JsonNode p) {
        String stock = p.path("stock_status").asString("");
        String phrase = stock.equals("instock") ? "in stock" : stock.equals("outofstock") ? "out of stock"
                : stock.equals("onbackorder") ? "available on backorder" : stock.isEmpty() ? "stock unknown" : stock;
        if (p.hasNonNull("stock_quantity") && stock.equals("instock")) {
            phrase += " (" + p.get("stock_quantity").asInt() + " available)";
        }
        return phrase;
    }

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:[.,][\\p{N}]+)?");
    /** Size words shoppers write for the usual size options. */
    private static final Map<String, List<String>> SIZE_WORDS = Map.of(
            "xs", List.of("extra small", "x small", "xsmall"), "s", List.of("small"), "m", List.of("medium"),
            "l", List.of("large"), "xl", List.of("extra large", "x large", "xlarge"), "xxl", List.of("xx large", "2xl"));

    /**
     * The variations whose attribute values the question names, the ones naming the most of them: an option of
     * three characters or more as words of the question ("Matte Black", or one of its longer words: "black"); a
     * short one ("M", "XL") only as a capitalised word, after the attribute's name or "size" ("size m"), or as a
     * size word ("medium"), so "I'm" names no size M.
     */
    static List<JsonNode> asked(String question, JsonNode variations) {
        List<String> original = new ArrayList<>();
        Matcher m = TOKEN.matcher(question);
        while (m.find()) {
            original.add(m.group());
        }
        List<String> lower = original.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        String joined = " " + String.join(" ", lower) + " ";
        int best = 0;
        Map<JsonNode, Integer> score = new IdentityHashMap<>();
        for (JsonNode v : variations) {
            int named = 0;
            for (JsonNode a : v.path("attributes")) {
                if (names(original, lower, joined, a.path("name").asString(""), a.path("option").asString(""))) {
                    named++;
                }
            }
            score.put(v, named);
            best = Math.max(best, named);
        }
        if (best == 0) {
            return List.of();
        }
        int top = best;
        List<JsonNode> out = new ArrayList<>();
        variations.forEach(v -> {
            if (score.get(v) == top) {
                out.add(v);
            }
        });
        return out;
    }

    private static boolean names(List<String> original, List<String> lower, String joined, String attribute, String option) {
        String opt = String.join(" ", tokens(option));
        if (opt.isEmpty()) {
            return false;
        }
        if (opt.length() >= 3) {
            if (joined.contains(" " + opt + " ")) {
                return true;
            }
            List<String> words = tokens(option);
            return words.size() > 1 && words.stream().anyMatch(w -> w.length() >= 4 && lower.contains(w));
        }
        for (String size : SIZE_WORDS.getOrDefault(opt, List.of())) {
            if (joined.contains(" " + size + " ")) {
                return true;
            }
        }
        List<String> attributeWords = tokens(attribute);
        String attributeLast = attributeWords.isEmpty() ? "size" : attributeWords.get(attributeWords.size() - 1);
        for (int i = 0; i < lower.size(); i++) {
            if (!lower.get(i).equals(opt)) {
                continue;
            }
            boolean capitalised = original.get(i).equals(original.get(i).toUpperCase(Locale.ROOT))
                    && !original.get(i).equals(lower.get(i));
            boolean afterName = i > 0 && (lower.get(i - 1).equals(attributeLast) || lower.get(i - 1).equals("size"));
            if (capitalised || afterName) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
