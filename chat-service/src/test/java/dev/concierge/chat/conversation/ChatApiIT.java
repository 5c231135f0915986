package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.support.ChatServiceITSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The HTTP contract: POST /api/chat's input limits and GET /api/conversations/{id}. */
class ChatApiIT extends ChatServiceITSupport {

    static Stream<Arguments> badChatRequests() {
        String tooLong = "x".repeat(4_001);
        return Stream.of(
                Arguments.of("empty message", "{\"message\":\"\"}", "message"),
                Arguments.of("blank message", "{\"message\":\"  \\n\\t \"}", "message"),
                Arguments.of("no message", "{\"session_id\":\"s-1\"}", "message"),
                Arguments.of("null message", "{\"message\":null}", "message"),
                Arguments.of("overlong message", "{\"message\":\"" + tooLong + "\"}", "message"),
                Arguments.of("message is a number", "{\"message\":42}", "message"),
                Arguments.of("message is an array", "{\"message\":[\"hi\"]}", "message"),
                Arguments.of("message is an object", "{\"message\":{\"text\":\"hi\"}}", "message"),
                Arguments.of("message with NUL", "{\"message\":\"a\\u0000b\"}", "message"),
                Arguments.of("overlong session id", "{\"message\":\"hi\",\"session_id\":\"" + "s".repeat(129) + "\"}", "session_id"),
                Arguments.of("session id with spaces", "{\"message\":\"hi\",\"session_id\":\"my session\"}", "session_id"),
                Arguments.of("session id is a number", "{\"message\":\"hi\",\"session_id\":7}", "session_id"),
                Arguments.of("domain is a boolean", "{\"message\":\"hi\",\"domain\":true}", "domain"),
                Arguments.of("malformed JSON", "{\"message\":\"hi\"", "body"),
                Arguments.of("trailing garbage", "{\"message\":\"hi\"} x", "body"),
                Arguments.of("not an object", "[\"hi\"]", "body"),
                Arguments.of("a bare string", "\"hi\"", "body"),
                Arguments.of("no body", "", "message"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChatRequests")
    void badChatInputIsAProblemNamingTheField(String name, String body, String field) {
        JsonNode problem = problem(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), HttpStatus.BAD_REQUEST);

        assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
        assertThat(problem.get("type").asString()).isEqualTo("https://concierge.dev/problems/invalid-request");
        assertThat(db.sql("select count(*) from messages").map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        JsonNode problem = problem(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"\",\"session_id\":false}").exchange(),
                HttpStatus.BAD_REQUEST);
        assertThat(problem.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("message", "session_id");
    }

    @Test
    void aMessageOfExactlyTheLimitIsAnswered() {
        assertThat(chat(SHOP, "visitor-long", "x".repeat(4_000)).get("session_id").asString()).isEqualTo("visitor-long");
        // the limit counts characters, not UTF-16 units: 4,000 emoji are 8,000 units
        assertThat(chat(SHOP, "visitor-emoji", "🚲".repeat(4_000)).get("conversation_id").asString()).isNotBlank();
    }

    @Test
    void aRequestWithoutTenantWithTheWrongContentTypeOrTooLargeIsAProblem() {
        JsonNode noTenant = problem(web.post().uri("/api/chat").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"hi\"}").exchange(), HttpStatus.BAD_REQUEST);
        assertThat(noTenant.get("errors").findValuesAsString("field")).containsExactly("domain");

        problem(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP).contentType(MediaType.TEXT_PLAIN)
                .bodyValue("hi").exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        problem(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP).bodyValue("{\"message\":\"hi\"}".getBytes())
                .exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE); // no Content-Type at all
        problem(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"" + "x".repeat(300_000) + "\"}").exchange(), HttpStatus.CONTENT_TOO_LARGE);
    }

    @Test
    void theChatResponseNamesSessionAndConversationAndKeepsItsFields() {
        JsonNode reply = chat(SHOP, "visitor-fields", "Hello");
        assertThat(reply.propertyNames()).containsExactly("session_id", "conversation_id", "message", "sources", "grounded");
        assertThat(reply.get("conversation_id").asString()).matches("[0-9a-f-]{36}");

        JsonNode fresh = json.readTree(web.post().uri("/api/chat").header("X-Tenant-Id", SHOP)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"Hello\"}").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(fresh.get("session_id").asString()).isNotBlank(); // no session id: a new session is started
    }

    @Test
    void theTranscriptShowsEveryMessageInOrderAsStored() {
        SEARCH.answersWith("http://shop/returns/", "Returns", "You can return any unused item within 30 days.");
        JsonNode first = chat(SHOP, "visitor-transcript", "Can I return a pump? Mail me at jan@example.com");
        String id = first.get("conversation_id").asString();
        chat(SHOP, "visitor-transcript", "Hello");
        db.sql("""
                update messages set tool_calls = '[{"name":"lookup_order","arguments":{"email":"[email]","order_number":"1234"},
                                                    "duration_ms":182,"outcome":"not_connected"}]'
                where role = 'assistant' and grounded""").then().block();

        JsonNode transcript = json.readTree(transcript(SHOP, null, id).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());

        assertThat(transcript.get("conversation_id").asString()).isEqualTo(id);
        assertThat(transcript.get("session_id").asString()).isEqualTo("visitor-transcript");
        assertThat(transcript.get("status").asString()).isEqualTo("active");
        assertThat(transcript.get("message_count").asInt()).isEqualTo(4);
        assertThat(transcript.get("created_at").asString()).isNotBlank();
        assertThat(transcript.get("last_activity_at").asString()).isGreaterThanOrEqualTo(transcript.get("created_at").asString());
        JsonNode messages = transcript.get("messages");
        assertThat(messages.findValuesAsString("role")).containsExactly("user", "assistant", "user", "assistant");
        JsonNode question = messages.get(0);
        assertThat(question.get("content").asString()).isEqualTo("Can I return a pump? Mail me at [email]");
        assertThat(question.get("grounded").isNull()).isTrue();
        assertThat(question.get("sources").isEmpty()).isTrue();
        assertThat(question.get("tool_calls").isArray()).isTrue();
        assertThat(question.get("tool_calls").isEmpty()).isTrue();
        JsonNode answer = messages.get(1);
        assertThat(answer.get("content").asString()).contains("within 30 days");
        assertThat(answer.get("grounded").asBoolean()).isTrue();
        assertThat(answer.get("sources").get(0).get("url").asString()).isEqualTo("http://shop/returns/");
        assertThat(answer.get("sources").get(0).propertyNames()).containsExactly("url", "title", "snippet", "score");
        JsonNode tool = answer.get("tool_calls").get(0);
        assertThat(tool.get("name").asString()).isEqualTo("lookup_order");
        assertThat(tool.get("arguments").get("email").asString()).isEqualTo("[email]");
        assertThat(tool.get("duration_ms").asLong()).isEqualTo(182);
        assertThat(tool.get("outcome").asString()).isEqualTo("not_connected");
        assertThat(messages.get(2).get("content").asString()).isEqualTo("Hello");
        assertThat(messages.findValuesAsString("created_at")).isSorted();
        assertThat(transcript.toString()).doesNotContain("jan@example.com").doesNotContain("content_private");
    }

    @Test
    void anotherTenantsConversationIsNotFoundLikeOneThatDoesNotExist() {
        String id = chat(SHOP, "visitor-private", "Hello").get("conversation_id").asString();

        JsonNode foreign = problem(transcript(OTHER, null, id), HttpStatus.NOT_FOUND);
        JsonNode missing = problem(transcript(SHOP, null, "00000000-0000-4000-8000-000000000000"), HttpStatus.NOT_FOUND);

        assertThat(foreign.get("type")).isEqualTo(missing.get("type"));
        assertThat(foreign.get("title")).isEqualTo(missing.get("title"));
        assertThat(foreign.get("detail").asString()).isEqualTo("no conversation " + id);
    }

    @Test
    void theAdminKeyReadsAnyTenantsConversationAndTheWidgetKeyNone() {
        String id = chat(SHOP, "visitor-admin", "Hello").get("conversation_id").asString();

        transcript(null, "admin", id).expectStatus().isOk();
        problem(transcript(SHOP, "widget", id), HttpStatus.FORBIDDEN);
        assertThat(problem(transcript(null, "tenant", id), HttpStatus.BAD_REQUEST).get("errors")
                .findValuesAsString("field")).containsExactly("domain");
    }

    @Test
    void aMalformedConversationIdIsAProblemNamingId() {
        for (String id : new String[] {"not-a-uuid", "1-1-1-1-1", "00000000-0000-4000-8000-00000000000", "%20"}) {
            JsonNode problem = problem(transcript(SHOP, null, id), HttpStatus.BAD_REQUEST);
            assertThat(problem.get("errors").findValuesAsString("field")).as(id).containsExactly("id");
        }
    }

    private WebTestClient.ResponseSpec transcript(String tenant, String role, String id) {
        return web.get().uri("/api/conversations/" + id).headers(h -> {
            if (tenant != null) {
                h.set("X-Tenant-Id", tenant);
            }
            if (role != null) {
                h.set("X-Concierge-Role", role);
            }
        }).exchange();
    }

    private JsonNode problem(WebTestClient.ResponseSpec response, HttpStatus status) {
        byte[] body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        JsonNode problem = json.readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(status.value());
        return problem;
    }
}
