package dev.concierge.commerce.catalog;

import dev.concierge.contracts.ProductChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * WooCommerce product JSON (products.md, product-variations.md) to {@link ProductRecord}, tolerant to the
 * alternative names older APIs and plugins use ({@code title} for {@code name}, {@code stock} for
 * {@code stock_quantity}, {@code in_stock} for {@code stock_status}, {@code link} for {@code permalink},
 * categories as names or objects, numbers or strings for prices). A product that cannot be represented
 * truthfully is rejected with its reasons rather than stored half-right: no name, a price that is not a number,
 * negative stock.
 */
public final class ProductMapper {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("-?\\d+,\\d{1,4}");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?[0-9a-fA-F]+);");

    private ProductMapper() {
    }

    /** Either a product or the reasons it was rejected. */
    public record Result(ProductRecord product, long productId, String name, List<String> reasons) {
        public boolean rejected() {
            return product == null;
        }
    }

    public static long id(JsonNode product) {
        JsonNode id = first(product, "id", "product_id", "ID");
        return id == null ? -1 : id.asLong(-1);
    }

    public static Result map(JsonNode p, List<JsonNode> variations, String currency) {
        List<String> reasons = new ArrayList<>();
        long id = id(p);
        if (id <= 0) {
            reasons.add("id: missing or not a positive number");
        }
        String name = stripHtml(text(p, "name", "title"));
        if (name == null || name.isBlank()) {
            reasons.add("name: missing");
        }
        BigDecimal price = price(p, reasons, "price", "");
        BigDecimal regular = price(p, reasons, "regular_price", "");
        BigDecimal sale = price(p, reasons, "sale_price", "");
        if (price == null) {
            price = sale != null ? sale : regular;
        }
        Integer stock = stock(p, reasons, "");
        List<ProductRecord.Variation> vs = new ArrayList<>();
        for (JsonNode v : variations) {
            String prefix = "variation " + id(v) + ": ";
            BigDecimal vp = price(v, reasons, "price", prefix);
            BigDecimal vr = price(v, reasons, "regular_price", prefix);
            BigDecimal vsale = price(v, reasons, "sale_price", prefix);
            Integer vstock = stock(v, reasons, prefix);
            vs.add(new ProductRecord.Variation(id(v), blankToNull(text(v, "sku")), attributes(v),
                    vp != null ? vp : vsale != null ? vsale : vr, vr, vsale, stockStatus(v), vstock,
                    bool(v, "manage_stock")));
        }
        if (!reasons.isEmpty()) {
            return new Result(null, id, name, List.copyOf(reasons));
        }
        String status = text(p, "status");
        ProductRecord record = new ProductRecord(id, name.strip(), blankToNull(text(p, "sku")),
                text(p, "type") == null ? "simple" : text(p, "type"), status == null ? "publish" : status,
                price, regular, sale, currency, stockStatus(p), stock, bool(p, "manage_stock"), categories(p),
                blankToNull(text(p, "permalink", "link", "url")),
                blankToNull(stripHtml(text(p, "short_description", "excerpt"))), modified(p), vs);
        return new Result(record, id, record.name(), List.of());
    }

    private static BigDecimal price(JsonNode p, List<String> reasons, String field, String prefix) {
        JsonNode node = p.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            BigDecimal v = node.decimalValue();
            if (v.signum() < 0) {
                reasons.add(prefix + field + ": negative (" + v.toPlainString() + ")");
                return null;
            }
            return v;
        }
        String raw = node.asString("").strip();
        if (raw.isEmpty()) {
            return null;
        }
        String normalized = DECIMAL_COMMA.matcher(raw).matches() ? raw.replace(',', '.') : raw;
        if (!DECIMAL.matcher(normalized).matches()) {
            reasons.add(prefix + field + ": unparseable price '" + abbreviate(raw) + "'");
            return null;
        }
        BigDecimal v = new BigDecimal(normalized);
        if (v.signum() < 0) {
            reasons.add(prefix + field + ": negative (" + raw + ")");
            return null;
        }
        return v;
    }

    private static Integer stock(JsonNode p, List<String> reasons, String prefix) {
        JsonNode node = first(p, "stock_quantity", "stock", "quantity");
        if (node == null || node.isNull() || (node.isString() && node.asString().isBlank())) {
            return null;
        }
        long v;
        if (node.isIntegralNumber()) {
            v = node.asLong();
        } else {
            try {
                v = new BigDecimal(node.asString().strip()).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                reasons.add(prefix + "stock_quantity: not a whole number '" + abbreviate(node.asString()) + "'");
                return null;
            }
        }
        if (v < 0) {
            reasons.add(prefix + "stock_quantity: negative stock (" + v + ")");
            return null;
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    private static String stockStatus(JsonNode p) {
        String s = text(p, "stock_status");
        if (s != null && !s.isBlank()) {
            return s;
        }
        JsonNode inStock = p.get("in_stock");
        if (inStock != null && inStock.isBoolean()) {
            return inStock.asBoolean() ? "instock" : "outofstock";
        }
        return null;
    }

    private static List<String> categories(JsonNode p) {
        List<String> out = new ArrayList<>();
        JsonNode cats = p.get("categories");
        if (cats != null && cats.isArray()) {
            for (JsonNode c : cats) {
                String name = c.isString() ? c.asString() : text(c, "name");
                if (name != null && !name.isBlank()) {
                    out.add(stripHtml(name));
                }
            }
        }
        return out;
    }

    private static List<ProductChanged.Attribute> attributes(JsonNode v) {
        List<ProductChanged.Attribute> out = new ArrayList<>();
        JsonNode attrs = v.get("attributes");
        if (attrs != null && attrs.isArray()) {
            for (JsonNode a : attrs) {
                String name = text(a, "name");
                String option = text(a, "option", "value");
                if (name != null && option != null) {
                    out.add(new ProductChanged.Attribute(name, option));
                }
            }
        }
        return out;
    }

    private static Instant modified(JsonNode p) {
        String gmt = text(p, "date_modified_gmt");
        if (gmt != null && !gmt.isBlank()) {
            Instant t = parseTime(gmt, true);
            if (t != null) {
                return t;
            }
        }
        String local = text(p, "date_modified", "updated_at");
        return local == null ? null : parseTime(local, true);
    }

    static Instant parseTime(String value, boolean assumeUtc) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            try {
                return assumeUtc ? LocalDateTime.parse(value).toInstant(ZoneOffset.UTC) : null;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** Text of the first of {@code fields} present and not null. */
    public static String text(JsonNode p, String... fields) {
        JsonNode n = first(p, fields);
        return n == null ? null : n.isValueNode() ? n.asString() : null;
    }

    private static JsonNode first(JsonNode p, String... fields) {
        for (String f : fields) {
            JsonNode n = p.get(f);
            if (n != null && !n.isNull()) {
                return n;
            }
        }
        return null;
    }

    private static boolean bool(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n != null && (n.isBoolean() ? n.asBoolean() : "true".equalsIgnoreCase(n.asString("")) || "yes".equalsIgnoreCase(n.asString("")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Text of an HTML fragment: tags removed, common entities decoded, whitespace collapsed. */
    public static String stripHtml(String html) {
        if (html == null) {
            return null;
        }
        String text = TAG.matcher(html.replaceAll("(?i)<br\\s*/?>|</p>", " ")).replaceAll("");
        Matcher m = NUMERIC_ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String code = m.group(1);
            int cp;
            try {
                cp = code.startsWith("x") || code.startsWith("X") ? Integer.parseInt(code.substring(1), 16) : Integer.parseInt(code);
            } catch (NumberFormatException e) {
                cp = '?';
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(new String(Character.toChars(cp))));
        }
        m.appendTail(sb);
        return sb.toString().replace("&nbsp;", " ").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&hellip;", "…").replace("&ndash;", "–")
                .replace("&mdash;", "—").replace("&amp;", "&").replaceAll("\\s+", " ").strip();
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
