package dev.concierge.scraper.crawling;

import dev.concierge.contracts.PageScraped;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * schema.org {@code Product} data from a page's JSON-LD blocks: a top-level object, an array of them, or a
 * {@code @graph}; offers as one object or a list (the first with a price wins). A block that is not valid
 * JSON is skipped: a broken script tag must not cost the page.
 */
final class JsonLdProducts {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_PRODUCTS = 50;

    private JsonLdProducts() {
    }

    static List<PageScraped.Product> from(Document doc) {
        List<PageScraped.Product> products = new ArrayList<>();
        for (Element script : doc.select("script[type=application/ld+json]")) {
            try {
                collect(JSON.readTree(script.data()), products, 0);
            } catch (JacksonException e) {
                // not JSON: ignore this block
            }
        }
        return List.copyOf(products);
    }

    private static void collect(JsonNode node, List<PageScraped.Product> out, int depth) {
        if (node == null || depth > 4 || out.size() >= MAX_PRODUCTS) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> collect(n, out, depth + 1));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.has("@graph")) {
            collect(node.get("@graph"), out, depth + 1);
        }
        if (isProduct(node.get("@type"))) {
            JsonNode offer = offer(node.get("offers"));
            out.add(new PageScraped.Product(text(node, "name"), text(node, "sku"),
                    offer == null ? null : text(offer, "price"), offer == null ? null : text(offer, "priceCurrency"),
                    offer == null ? null : availability(text(offer, "availability")), text(node, "url")));
        }
    }

    private static boolean isProduct(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (isProduct(t)) {
                    return true;
                }
            }
            return false;
        }
        String t = type.asString("");
        return t.equals("Product") || t.endsWith("/Product") || t.equals("ProductGroup");
    }

    private static JsonNode offer(JsonNode offers) {
        if (offers == null) {
            return null;
        }
        if (offers.isArray()) {
            for (JsonNode o : offers) {
                if (o.has("price")) {
                    return o;
                }
            }
            return offers.isEmpty() ? null : offers.get(0);
        }
        return offers.isObject() ? offers : null;
    }

    /** "https://schema.org/InStock" → "InStock". */
    private static String availability(String value) {
        if (value == null) {
            return null;
        }
        int slash = value.lastIndexOf('/');
        return slash >= 0 ? value.substring(slash + 1) : value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        String s = v.asString("").strip();
        return s.isEmpty() ? null : s;
    }
}
