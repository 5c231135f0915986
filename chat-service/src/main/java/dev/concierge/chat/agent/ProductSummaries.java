package dev.concierge.chat.agent;

import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.retrieval.Passage;
import java.util.ArrayList;
import java.util.List;
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
        for (JsonNode p : products) {
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
}
