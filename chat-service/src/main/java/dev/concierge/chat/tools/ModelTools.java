package dev.concierge.chat.tools;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commerce tools of {@link StoreTools} offered to the language model (LangChain4j's low-level tool API), bound
 * to one tenant: {@code search_products}, {@code get_product}, {@code check_stock} and {@code lookup_order}.
 * {@code search_store_content} is not offered: its results are already in the prompt as the numbered passages
 * the model cites. A request the model makes is validated and run like the offline agent's calls, recorded as a
 * {@link ToolCall} (arguments redacted), and turned into the text the model is given: the tool's JSON with
 * {@code <} and {@code >} escaped, at most {@value #MAX_RESULT_CHARS} characters, when it worked (data, like the
 * passages), otherwise the tool's honest
 * sentence. Runs blocking, on the caller's (bounded-elastic) thread.
 */
public final class ModelTools {

    /** What a tool gave the model, and the record kept with the answer. */
    public record Executed(String resultText, ToolCall call) {
    }

    public static final List<ToolSpecification> SPECIFICATIONS = List.of(
            ToolSpecification.builder().name(StoreTools.SEARCH_PRODUCTS)
                    .description("Searches the store's published products by name, SKU or category; live price and stock.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("query", "product name, SKU or category")
                            .addIntegerProperty("limit", "how many products, 1 to 20 (default 3)")
                            .required("query").build()).build(),
            ToolSpecification.builder().name(StoreTools.GET_PRODUCT)
                    .description("One product by id or SKU, with its variations, live price and stock.")
                    .parameters(JsonObjectSchema.builder().addStringProperty("ref", "product id or SKU").required("ref").build())
                    .build(),
            ToolSpecification.builder().name(StoreTools.CHECK_STOCK)
                    .description("Live stock status and quantity of a product (per variation) by id or SKU.")
                    .parameters(JsonObjectSchema.builder().addStringProperty("ref", "product id or SKU").required("ref").build())
                    .build(),
            ToolSpecification.builder().name(StoreTools.LOOKUP_ORDER)
                    .description("An order's status; needs both the order number and the e-mail address the shopper gave.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("order_number", "the order number, e.g. 1234")
                            .addStringProperty("email", "the e-mail address the order was placed with")
                            .required("order_number", "email").build()).build());

    /** A tool's result is cut to this many characters (about 1,000 tokens) to fit the model's context. */
    public static final int MAX_RESULT_CHARS = 4000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NAME = Pattern.compile("[a-z_]{1,40}");

    private final StoreTools tools;
    private final String tenantId;
    private final String sessionId;
    private final Duration timeout;

    /** @param timeout the longest to wait for one tool (its own timeout and retries come first) */
    public ModelTools(StoreTools tools, String tenantId, Duration timeout) {
        this(tools, tenantId, null, timeout);
    }

    /**
     * @param sessionId the shopper's chat session (null when unknown): sent with {@code lookup_order} so that
     *                  commerce-service limits failed lookups per session, as for the offline agent's lookups
     * @param timeout   the longest to wait for one tool (its own timeout and retries come first)
     */
    public ModelTools(StoreTools tools, String tenantId, String sessionId, Duration timeout) {
        this.tools = tools;
        this.tenantId = tenantId;
        this.sessionId = sessionId;
        this.timeout = timeout;
    }

    public Executed execute(ToolExecutionRequest request) {
        String name = request.name() == null || !NAME.matcher(request.name()).matches() ? "unknown" : request.name();
        Map<String, Object> args = new LinkedHashMap<>();
        JsonNode json;
        try {
            json = JSON.readTree(request.arguments() == null || request.arguments().isBlank() ? "{}" : request.arguments());
        } catch (JacksonException e) {
            return refused(name, args, ToolResult.INVALID, "The tool's arguments were not valid JSON.");
        }
        json.properties().forEach(e -> args.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asString("")));
        Mono<ToolResult> call;
        try {
            call = switch (name) {
                case StoreTools.SEARCH_PRODUCTS -> tools.searchProducts(tenantId, text(json, "query"), json.path("limit").asInt(3));
                case StoreTools.GET_PRODUCT -> tools.getProduct(tenantId, text(json, "ref"));
                case StoreTools.CHECK_STOCK -> tools.checkStock(tenantId, text(json, "ref"));
                case StoreTools.LOOKUP_ORDER -> tools.lookupOrder(tenantId, sessionId, text(json, "order_number"),
                        text(json, "email"));
                default -> null;
            };
        } catch (ToolArgumentException e) {
            return refused(name, args, ToolResult.INVALID, "Invalid argument " + e.getMessage());
        }
        if (call == null) {
            return refused(name, Map.of(), ToolCall.ERROR, "There is no tool called " + name + ".");
        }
        ToolResult result;
        try {
            result = call.block(timeout);
        } catch (RuntimeException e) { // StoreTools turns failures into results; this is only the overall wait
            result = null;
        }
        if (result == null) {
            return refused(name, args, ToolCall.ERROR, "Something went wrong looking that up; please try again in a moment.");
        }
        if (!result.ok()) {
            return new Executed(result.sentence(), result.call());
        }
        String data = escape(String.valueOf(result.data()));
        data = data.length() > MAX_RESULT_CHARS - 40 ? data.substring(0, MAX_RESULT_CHARS - 40) + " [cut]" : data;
        return new Executed("<tool_result>" + data + "</tool_result>", result.call());
    }

    private static Executed refused(String name, Map<String, ?> args, String outcome, String sentence) {
        return new Executed(sentence, ToolCall.recorded(name, args, Duration.ZERO, outcome));
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asString("");
    }

    private static String escape(String s) {
        return s.replace("<", "\\u003c").replace(">", "\\u003e");
    }
}
