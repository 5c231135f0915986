package dev.concierge.chat.tools;

import dev.concierge.chat.privacy.Pii;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tool the assistant ran while answering a message, as stored in {@code messages.tool_calls} and shown in
 * the transcript: {@code {"name", "arguments", "duration_ms", "outcome"}}. Arguments are kept with personal data
 * redacted; {@link #recorded} does that.
 *
 * @param outcome how the call ended, one snake_case word: {@code ok}, {@code error}, {@code timeout},
 *                {@code not_connected}, or a tool's own (such as {@code not_found}, {@code invalid})
 */
public record ToolCall(String name, Map<String, Object> arguments, long durationMs, String outcome) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";
    public static final String NOT_CONNECTED = "not_connected";

    /** The record of a call, its string arguments (also inside lists and maps) redacted. */
    public static ToolCall recorded(String name, Map<String, ?> arguments, Duration duration, String outcome) {
        Map<String, Object> redacted = new LinkedHashMap<>();
        arguments.forEach((k, v) -> redacted.put(k, redact(v)));
        return new ToolCall(name, redacted, duration.toMillis(), outcome);
    }

    private static Object redact(Object value) {
        if (value instanceof String s) {
            return Pii.redact(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, redact(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ToolCall::redact).toList();
        }
        return value;
    }
}
