package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/chat/stream with the offline agent: the answer arrives as delta events, then a done event carrying
 * what POST /api/chat answers; the turn is stored and published the same way.
 */
class ChatStreamIT extends ChatServiceITSupport {

    static final String QUESTION = "How long do I have to return an item?";

    @Test
    void theOfflineAnswerStreamsInPiecesThenTheReplyAndTheTurnIsStoredAndPublished() {
        SEARCH.answersWith("http://shop/returns/", "Returns | Cedar & Spoke",
                "You can return any unused item within 30 days of delivery. Refunds are paid within 5 working days.");
        Subscriber subscriber = subscribe(Topics.MESSAGE_POSTED);

        List<Sse> events = streamChat(SHOP, "visitor-stream", QUESTION);

        List<Sse> deltas = events.subList(0, events.size() - 1);
        Sse done = events.get(events.size() - 1);
        assertThat(deltas).hasSizeGreaterThanOrEqualTo(2).allSatisfy(d -> {
            assertThat(d.event()).isEqualTo("delta");
            assertThat(d.data().propertyNames()).containsExactly("text");
        });
        assertThat(done.event()).isEqualTo("done");
        JsonNode reply = done.data();
        assertThat(reply.propertyNames()).containsExactly("session_id", "conversation_id", "message", "sources", "grounded");
        assertThat(deltas.stream().map(d -> d.data().get("text").asString()).collect(Collectors.joining()))
                .isEqualTo(reply.get("message").asString());
        assertThat(reply.get("message").asString()).contains("within 30 days");
        assertThat(reply.get("session_id").asString()).isEqualTo("visitor-stream");
        assertThat(reply.get("grounded").asBoolean()).isTrue();
        assertThat(reply.get("sources").get(0).get("url").asString()).isEqualTo("http://shop/returns/");

        String conversation = reply.get("conversation_id").asString();
        JsonNode messages = transcriptOf(SHOP, conversation).get("messages");
        assertThat(messages.findValuesAsString("role")).containsExactly("user", "assistant");
        assertThat(messages.get(0).get("content").asString()).isEqualTo(QUESTION);
        assertThat(messages.get(1).get("content").asString()).isEqualTo(reply.get("message").asString());
        assertThat(messages.get(1).get("grounded").asBoolean()).isTrue();
        assertThat(messages.get(1).get("sources").get(0).get("url").asString()).isEqualTo("http://shop/returns/");

        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.of(Topics.MESSAGE_POSTED).size() == 2);
        List<JsonNode> posted = subscriber.of(Topics.MESSAGE_POSTED).stream().map(r -> json.readTree(r.value())).toList();
        assertThat(posted).extracting(p -> p.get("role").asString()).containsExactly("user", "assistant");
        assertThat(posted).allSatisfy(p -> assertThat(p.get("conversation_id").asString()).isEqualTo(conversation));
        assertThat(posted.get(1).get("grounded").asBoolean()).isTrue();
    }

    @Test
    void theEventsAreServerSentEventsOnTheWire() {
        SEARCH.answersWith("http://shop/returns/", "Returns", "You can return any unused item within 30 days.");

        String body = web.post().uri("/api/chat/stream").header("X-Tenant-Id", SHOP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"" + QUESTION + "\"}").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).startsWith("event:delta\ndata:{\"text\":\"").contains("\n\nevent:done\ndata:{\"session_id\":\"")
                .endsWith("}\n\n");
    }

    @Test
    void anAnswerTheAgentCannotGroundStreamsToo() {
        List<Sse> events = streamChat(SHOP, "visitor-idk", "What is the capital of Australia?");

        Sse done = events.get(events.size() - 1);
        assertThat(events).filteredOn(e -> e.event().equals("delta")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(done.event()).isEqualTo("done");
        assertThat(done.data().get("grounded").asBoolean()).isFalse();
        assertThat(done.data().get("sources").isEmpty()).isTrue();
        assertThat(done.data().get("message").asString()).contains("don't know");
    }

    @Test
    void anAnswerCompleteWhenTheShopperLeavesIsStillStoredAndPublished() {
        SEARCH.answersWith("http://shop/returns/", "Returns", "You can return any unused item within 30 days of delivery.");
        Subscriber subscriber = subscribe(Topics.MESSAGE_POSTED);

        // the offline answer is complete before its first piece is sent; the shopper leaves after that piece
        List<?> first = openStream(SHOP, "visitor-leaves", QUESTION).getResponseBody().take(1).collectList()
                .block(Duration.ofSeconds(30));
        assertThat(first).hasSize(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.of(Topics.MESSAGE_POSTED).size() == 2);
        JsonNode assistant = json.readTree(subscriber.of(Topics.MESSAGE_POSTED).get(1).value());
        assertThat(assistant.get("role").asString()).isEqualTo("assistant");
        assertThat(assistant.get("content").asString()).contains("within 30 days").doesNotContain("interrupted");
        JsonNode messages = transcriptOf(SHOP, assistant.get("conversation_id").asString()).get("messages");
        assertThat(messages.get(1).get("grounded").asBoolean()).isTrue();
    }

    @Test
    void badInputIsAProblemAndNoStream() {
        for (String body : new String[] {"{\"message\":\"\"}", "{\"message\":42}", "{\"message\":\"hi\"", ""}) {
            byte[] problem = web.post().uri("/api/chat/stream").header("X-Tenant-Id", SHOP)
                    .contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM).bodyValue(body).exchange()
                    .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().returnResult().getResponseBody();
            JsonNode parsed = json.readTree(problem);
            assertThat(parsed.get("type").asString()).as(body).isEqualTo("https://concierge.dev/problems/invalid-request");
            assertThat(parsed.get("status").asInt()).isEqualTo(400);
        }
        JsonNode empty = json.readTree(web.post().uri("/api/chat/stream").header("X-Tenant-Id", SHOP)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"  \"}").exchange()
                .expectStatus().isBadRequest().expectBody().returnResult().getResponseBody());
        assertThat(empty.get("errors").findValuesAsString("field")).containsExactly("message");
        web.post().uri("/api/chat/stream").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"hi\"}")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(db.sql("select count(*) from messages").map(r -> r.get(0, Long.class)).one().block()).isZero();
    }
}
