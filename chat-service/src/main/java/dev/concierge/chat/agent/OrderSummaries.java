package dev.concierge.chat.agent;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An order lookup's answer in a sentence or two, from commerce-service's order view
 * ({@code order_number, status, created_at, items[{name, quantity}], tracking{carrier, number, url}}).
 * Only what the view holds is said.
 */
final class OrderSummaries {

    private OrderSummaries() {
    }

    static String of(JsonNode order) {
        StringBuilder sb = new StringBuilder("Order ").append(text(order, "order_number", "")).append(" is ")
                .append(text(order, "status", "in an unknown state").replace('-', ' ')).append('.');
        String created = text(order, "created_at", null);
        if (created != null) {
            sb.append(" It was placed on ").append(created.length() >= 10 ? created.substring(0, 10) : created).append('.');
        }
        JsonNode items = order.get("items");
        if (items != null && items.isArray() && !items.isEmpty()) {
            List<String> names = new ArrayList<>();
            items.forEach(i -> names.add(i.path("quantity").asInt(1) + " × " + text(i, "name", "item")));
            sb.append(" Items: ").append(String.join(", ", names)).append('.');
        }
        JsonNode tracking = order.get("tracking");
        if (tracking != null && tracking.isObject() && tracking.hasNonNull("number")) {
            sb.append(" Tracking: ").append(text(tracking, "carrier", "")).append(' ').append(text(tracking, "number", ""));
            if (tracking.hasNonNull("url")) {
                sb.append(" (").append(text(tracking, "url", "")).append(')');
            }
            sb.append('.');
        }
        return sb.toString().replace("  ", " ");
    }

    private static String text(JsonNode node, String field, String dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asString();
    }
}
