package dev.concierge.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class TopicCatalogueTest {

    /** The services' own mapping: Spring Boot's JsonMapper with snake_case names. */
    private static final JsonMapper SERVICE_MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final ObjectMapper VALIDATOR_MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    static Stream<Topic<?>> topics() {
        return Topics.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("topics")
    void sampleValidatesAgainstTheTopicSchema(Topic<?> topic) throws IOException {
        Set<ValidationMessage> errors = schema(topic).validate(VALIDATOR_MAPPER.readTree(sample(topic)));
        assertThat(errors).as("sample of %s", topic.name()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("topics")
    void recordRoundTripStillValidates(Topic<?> topic) throws IOException {
        Object event = SERVICE_MAPPER.readValue(sample(topic), topic.valueType());
        String encoded = SERVICE_MAPPER.writeValueAsString(event);
        Set<ValidationMessage> errors = schema(topic).validate(VALIDATOR_MAPPER.readTree(encoded));
        assertThat(errors).as("re-encoded %s: %s", topic.name(), encoded).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("topics")
    void schemaRejectsAnEventWithoutItsRequiredFields(Topic<?> topic) throws IOException {
        Set<ValidationMessage> errors = schema(topic).validate(VALIDATOR_MAPPER.readTree("{\"tenant_id\":\"t\"}"));
        assertThat(errors).isNotEmpty();
    }

    @Test
    void topicNamesFollowDomainEventVersion() {
        Pattern convention = Pattern.compile("^[a-z]+\\.[a-z]+(-[a-z]+)*\\.v[0-9]+$");
        Set<String> names = new HashSet<>();
        for (Topic<?> topic : Topics.ALL) {
            assertThat(topic.name()).matches(convention);
            assertThat(names.add(topic.name())).as("unique %s", topic.name()).isTrue();
            assertThat(topic.deadLetter()).isEqualTo(topic.name() + ".dlt");
            assertThat(topic.partitions()).isPositive();
        }
    }

    @Test
    void cloudEventHeadersCarryTheRequiredAttributes() {
        var headers = CloudEventHeaders.of(Topics.PAGE_SCRAPED, "scraper-service");
        assertThat(headers).containsKeys("ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion");
        assertThat(new String(headers.get("ce_type"), StandardCharsets.UTF_8))
                .isEqualTo("dev.concierge.scrape.page-scraped.v1");
        assertThat(CloudEventHeaders.of(Topics.PAGE_SCRAPED, "x").get("ce_id")).isNotEqualTo(headers.get("ce_id"));
    }

    @Test
    void pageKeysAreStablePerTenantAndUrl() {
        assertThat(EventKeys.page("t1", "http://a/x")).isEqualTo(EventKeys.page("t1", "http://a/x"))
                .isNotEqualTo(EventKeys.page("t2", "http://a/x"))
                .isNotEqualTo(EventKeys.page("t1", "http://a/y"))
                .startsWith("t1:");
    }

    private static JsonSchema schema(Topic<?> topic) {
        InputStream in = Topic.class.getResourceAsStream(topic.schemaResource());
        assertThat(in).as("schema %s", topic.schemaResource()).isNotNull();
        return SCHEMAS.getSchema(in);
    }

    private static String sample(Topic<?> topic) {
        try (InputStream in = TopicCatalogueTest.class.getResourceAsStream("/samples/" + topic.name() + ".json")) {
            assertThat(in).as("sample for %s", topic.name()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
