package dev.concierge.commerce.tools;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A shopper's sentence to search terms: lower-cased words (SKU-like tokens with {@code - _ .} kept whole),
 * English question and shopping stopwords dropped ("is the trail pump in stock?" → {@code trail, pump}),
 * a plural's singular added ("pumps" → also {@code pump}). Fuzzy matching of typos is the database's
 * (pg_trgm word similarity).
 */
final class SearchTerms {

    static final Set<String> STOPWORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been", "do", "does",
            "did", "you", "your", "we", "our", "i", "me", "my", "it", "its", "this", "that", "these", "those", "there",
            "in", "on", "at", "of", "for", "to", "from", "with", "and", "or", "any", "some", "have", "has", "had", "got",
            "get", "can", "could", "would", "will", "should", "please", "what", "which", "who", "how", "much", "many",
            "when", "where", "why", "stock", "available", "availability", "price", "prices", "cost", "costs", "buy", "sell",
            "sold", "order", "want", "need", "looking", "look", "find", "show", "tell", "about", "still", "left", "more",
            "by", "if", "so", "than", "then", "just", "also", "not", "no", "yes", "hi", "hello", "thanks", "thank", "item",
            "items", "product", "products", "shop", "store", "instock", "sale", "cheap", "new");

    private SearchTerms() {
    }

    static List<String> of(String query) {
        Set<String> terms = new LinkedHashSet<>();
        for (String raw : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}._-]+")) {
            String token = raw.replaceAll("^[._-]+|[._-]+$", "");
            if (token.length() < 2 || STOPWORDS.contains(token)) {
                continue;
            }
            terms.add(token);
            String singular = singular(token);
            if (singular != null) {
                terms.add(singular);
            }
            if (terms.size() >= 12) {
                break;
            }
        }
        return new ArrayList<>(terms);
    }

    private static String singular(String w) {
        if (w.length() < 4 || !w.chars().allMatch(Character::isLetter)) {
            return null;
        }
        if (w.endsWith("ies") && w.length() > 4) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
            return w.substring(0, w.length() - 1);
        }
        return null;
    }
}
