package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.concierge.chat.support.ChatServiceITSupport;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** What subscribers of chat-service's topics see, and what its logs and database keep of personal data. */
class ChatEventsIT extends ChatServiceITSupport {

    static final String EMAIL = "jan.jansen@example.com";
    static final String PHONE = "+31 6 12345678";
    static final String QUESTION = "I'm " + EMAIL + ", call me on " + PHONE + ". Can I return order #1234, the CS-PUMP-01?";
    static final String REDACTED_QUESTION = "I'm [email], call me on [phone]. Can I return order #1234, the CS-PUMP-01?";

    @Test
    void messagePostedEventsCarryTheRedactedTextOnly() throws Exception {
        SEARCH.answersWith("http://shop/returns/", "Returns",
                "You can return any unused item within 30 days. Mail returns@cedar-spoke.example about a return.");
        Subscriber subscriber = subscribe(Topics.MESSAGE_POSTED);

        JsonNode reply = chat(SHOP, "visitor-pii", QUESTION);
        String conversation = reply.get("conversation_id").asString();

        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.of(Topics.MESSAGE_POSTED).size() == 2);
        List<ConsumerRecord<String, String>> records = subscriber.of(Topics.MESSAGE_POSTED);
        JsonNode user = json.readTree(records.get(0).value());
        JsonNode assistant = json.readTree(records.get(1).value());
        assertThat(user.get("role").asString()).isEqualTo("user");
        assertThat(user.get("content").asString()).isEqualTo(REDACTED_QUESTION);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.value()).doesNotContain("jan.jansen").doesNotContain("12345678");
            assertThat(r.key()).isEqualTo(EventKeys.conversation(SHOP, conversation));
            assertThat(header(r, "ce_type")).isEqualTo("dev.concierge.chat.message-posted.v1");
            assertThat(header(r, "ce_source")).isEqualTo("/chat-service");
            assertThat(schemaViolations(Topics.MESSAGE_POSTED, r.value())).isEmpty();
        });
        // The answer quotes the store's own page: its published address is not the shopper's personal data.
        assertThat(assistant.get("role").asString()).isEqualTo("assistant");
        assertThat(assistant.get("content").asString()).contains("returns@cedar-spoke.example");
        assertThat(assistant.get("grounded").asBoolean()).isTrue();

        // search-service is asked the question without the personal data in it
        assertThat(SEARCH.queries()).isNotEmpty().allSatisfy(q -> assertThat(q).doesNotContain("jan.jansen")
                .doesNotContain("12345678").contains("CS-PUMP-01"));
        // stored: the redacted text, and the original privately while the conversation is active
        var stored = db.sql("select content, content_private from messages where role = 'user'")
                .map(r -> List.of(r.get("content", String.class), r.get("content_private", String.class))).one().block();
        assertThat(stored).containsExactly(REDACTED_QUESTION, QUESTION);
        assertThat(db.sql("select count(*) from messages where role = 'assistant' and content_private is not null")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void conversationUpdatesFollowTheConversationFromItsStart() throws Exception {
        Subscriber subscriber = subscribe(Topics.CONVERSATION_UPDATED);

        String conversation = chat(SHOP, "visitor-updates", "Do you sell floor pumps?").get("conversation_id").asString();
        assertThat(chat(SHOP, "visitor-updates", "And what do they cost?").get("conversation_id").asString())
                .isEqualTo(conversation);

        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.of(Topics.CONVERSATION_UPDATED).size() == 5);
        List<ConsumerRecord<String, String>> records = subscriber.of(Topics.CONVERSATION_UPDATED);
        List<JsonNode> events = records.stream().map(r -> json.readTree(r.value())).toList();
        assertThat(events).extracting(e -> e.get("change").asString())
                .containsExactly("started", "message", "message", "message", "message");
        assertThat(events).extracting(e -> e.get("message_count").asInt()).containsExactly(0, 1, 2, 3, 4);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("status").asString()).isEqualTo("active");
            assertThat(e.get("conversation_id").asString()).isEqualTo(conversation);
            assertThat(e.get("session_id").asString()).isEqualTo("visitor-updates");
            assertThat(e.get("tenant_id").asString()).isEqualTo(SHOP);
        });
        assertThat(events.get(4).get("last_activity_at").asString())
                .isGreaterThan(events.get(0).get("last_activity_at").asString());
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).isEqualTo(EventKeys.conversation(SHOP, conversation));
            assertThat(header(r, "ce_type")).isEqualTo("dev.concierge.chat.conversation-updated.v1");
            assertThat(header(r, "ce_id")).isNotBlank();
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(schemaViolations(Topics.CONVERSATION_UPDATED, r.value())).isEmpty();
        }
    }

    @Test
    void anIdleConversationExpiresWithoutWaitingForItsNextMessageAndForgetsTheOriginals() throws Exception {
        String conversation = chat(SHOP, "visitor-idle", QUESTION).get("conversation_id").asString();
        Subscriber subscriber = subscribe(Topics.CONVERSATION_UPDATED);

        idleFor(conversation, Duration.ofHours(25));

        await().atMost(Duration.ofSeconds(20)).until(() -> !subscriber.of(Topics.CONVERSATION_UPDATED).isEmpty());
        ConsumerRecord<String, String> record = subscriber.of(Topics.CONVERSATION_UPDATED).get(0);
        JsonNode event = json.readTree(record.value());
        assertThat(event.get("change").asString()).isEqualTo("expired");
        assertThat(event.get("status").asString()).isEqualTo("expired");
        assertThat(event.get("conversation_id").asString()).isEqualTo(conversation);
        assertThat(event.get("message_count").asInt()).isEqualTo(2);
        assertThat(record.key()).isEqualTo(EventKeys.conversation(SHOP, conversation));
        assertThat(schemaViolations(Topics.CONVERSATION_UPDATED, record.value())).isEmpty();
        assertThat(db.sql("select status from conversations").map(r -> r.get(0, String.class)).one().block())
                .isEqualTo("expired");
        assertThat(db.sql("select count(*) from messages where content_private is not null")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
        assertThat(db.sql("select content from messages where role = 'user'").map(r -> r.get(0, String.class)).one().block())
                .isEqualTo(REDACTED_QUESTION);
    }

    @Test
    void anOriginalStoredWhileItsConversationExpiredIsForgottenByTheNextSweep() {
        String conversation = chat(SHOP, "visitor-race", "Do you sell floor pumps?").get("conversation_id").asString();
        db.sql("update conversations set status = 'expired' where id = cast(:id as uuid)").bind("id", conversation).then().block();
        // what a message racing the expiry leaves behind: an original in a conversation already expired
        db.sql("update messages set content_private = 'I am jan@example.com' where role = 'user'").then().block();

        await().atMost(Duration.ofSeconds(20)).until(() -> db.sql("select count(*) from messages where content_private is not null")
                .map(r -> r.get(0, Long.class)).one().block() == 0);
    }

    @Test
    void aMessageAfterTheTtlStartsANewConversationAndTheOldOneIsReportedExpiredOnce() {
        String first = chat(SHOP, "visitor-return", "Do you sell floor pumps?").get("conversation_id").asString();
        Subscriber subscriber = subscribe(Topics.CONVERSATION_UPDATED);
        idleFor(first, Duration.ofHours(25));

        String second = chat(SHOP, "visitor-return", "Do you sell tubes?").get("conversation_id").asString();

        assertThat(second).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.of(Topics.CONVERSATION_UPDATED).stream()
                .filter(r -> r.value().contains(second)).count() == 3);
        List<JsonNode> events = subscriber.of(Topics.CONVERSATION_UPDATED).stream().map(r -> json.readTree(r.value())).toList();
        assertThat(events.stream().filter(e -> e.get("conversation_id").asString().equals(first)))
                .singleElement().satisfies(e -> assertThat(e.get("change").asString()).isEqualTo("expired"));
        assertThat(events.stream().filter(e -> e.get("conversation_id").asString().equals(second)))
                .extracting(e -> e.get("change").asString()).containsExactly("started", "message", "message");
    }

    @Test
    void noLogLinePrintsWhatTheShopperTyped() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try {
            SEARCH.failsWith(400); // chat-service logs the failed search call

            JsonNode reply = chat(SHOP, "visitor-logs", "Can you deliver a bike to my home? I'm " + EMAIL + ", " + PHONE
                    + ", Hoofdstraat 12, 3511 AB Utrecht, card 4111 1111 1111 1111");

            assertThat(reply.get("grounded").asBoolean()).isFalse();
            List<String> lines = logs.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
            assertThat(lines).anyMatch(l -> l.contains("retrieval failed"));
            assertThat(lines).noneMatch(l -> l.contains("jan.jansen") || l.contains("12345678") || l.contains("Hoofdstraat")
                    || l.contains("4111") || l.contains("deliver a bike"));
        } finally {
            root.detachAppender(logs);
        }
    }
}
