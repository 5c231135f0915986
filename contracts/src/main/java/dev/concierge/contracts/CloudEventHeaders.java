package dev.concierge.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * CloudEvents attributes in Kafka binary content mode ({@code ce_*} headers), so values stay plain
 * JSON and consumers never need Java type headers.
 */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }

    /** Fresh headers for one event of {@code topic} emitted by {@code source} (the service name). */
    public static Map<String, byte[]> of(Topic<?> topic, String source) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(ID, bytes(UUID.randomUUID().toString()));
        headers.put(TYPE, bytes(topic.eventType()));
        headers.put(SOURCE, bytes("/" + source));
        headers.put(TIME, bytes(Instant.now().toString()));
        headers.put(SPEC_VERSION, bytes("1.0"));
        headers.put(CONTENT_TYPE, bytes("application/json"));
        return headers;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
