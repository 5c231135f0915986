package dev.concierge.chat.tools;

import dev.concierge.chat.tools.ToolCall;
import tools.jackson.databind.JsonNode;

/**
 * What a tool returned: its outcome, the data when it worked, and otherwise an honest sentence the
 * assistant can say as it is (never a stack trace, never a guess). {@link #call} is the record kept with
 * the message (arguments redacted).
 *
 * @param outcome  {@link ToolCall#OK}, {@link #NOT_FOUND}, {@link #INVALID}, {@link ToolCall#NOT_CONNECTED},
 *                 {@link ToolCall#TIMEOUT} or {@link ToolCall#ERROR}
 * @param data     the tool's JSON answer when {@code ok}, else null
 * @param sentence what to tell the shopper when not {@code ok}
 */
public record ToolResult(String outcome, JsonNode data, String sentence, ToolCall call) {

    public static final String NOT_FOUND = "not_found";
    public static final String INVALID = "invalid";
    /** The store refused more lookups for now (order lookups are limited against enumeration). */
    public static final String LIMITED = "limited";

    public boolean ok() {
        return ToolCall.OK.equals(outcome);
    }
}
