package dev.concierge.contracts;

/**
 * A Kafka topic of the platform: its name ({@code <domain>.<event>.v<N>}), the record its values
 * decode to, what its key is, and how many partitions it is created with.
 */
public record Topic<T>(String name, Class<T> valueType, String key, int partitions) {

    /** The CloudEvents {@code type} attribute of this topic's events. */
    public String eventType() {
        return "dev.concierge." + name;
    }

    /** The dead-letter topic that receives this topic's poison messages. */
    public String deadLetter() {
        return name + ".dlt";
    }

    /** The JSON Schema of this topic's values, as a classpath resource. */
    public String schemaResource() {
        return "/schemas/" + name + ".schema.json";
    }
}
