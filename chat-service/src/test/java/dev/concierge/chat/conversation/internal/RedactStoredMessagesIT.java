package dev.concierge.chat.conversation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.support.ChatServiceITSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Migration 3 on messages stored the way chat-service stored them before it redacted anything. */
class RedactStoredMessagesIT extends ChatServiceITSupport {

    @Test
    void redactsOldMessagesAndKeepsOriginalsOnlyForActiveConversations() throws Exception {
        db.sql("""
                insert into conversations (id, tenant_id, session_id, status) values
                  ('00000000-0000-4000-8000-0000000000a1', 't', 's-active', 'active'),
                  ('00000000-0000-4000-8000-0000000000e1', 't', 's-old', 'expired');
                insert into messages (id, conversation_id, role, content, grounded, sources) values
                  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'user',
                   'I am jan@example.com', null, '[]'),
                  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-0000000000a1', 'assistant',
                   'Mail shop@cedar.example, jan@example.com', true,
                   '[{"url":"http://s/contact/","text":"Mail shop@cedar.example"}]'),
                  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000e1', 'user',
                   'Call 06-12345678', null, '[]'),
                  ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-0000000000e1', 'user',
                   'Is the CS-PUMP-01 in stock?', null, '[]')
                """).then().block();

        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/concierge_chat_test", "postgres", "")) {
            c.setAutoCommit(false);
            assertThat(V3__Redact_stored_messages.redact(c)).isEqualTo(3);
            c.commit();
        }

        Map<String, List<String>> rows = new java.util.TreeMap<>();
        db.sql("select id::text, content, content_private from messages").map(r -> java.util.Arrays.asList(
                        r.get(0, String.class), r.get(1, String.class), r.get(2, String.class)))
                .all().toIterable().forEach(r -> rows.put(r.get(0).substring(r.get(0).length() - 1), r.subList(1, 3)));
        assertThat(rows.get("1")).containsExactly("I am [email]", "I am jan@example.com");
        assertThat(rows.get("2")).containsExactly("Mail shop@cedar.example, [email]", null);
        assertThat(rows.get("3")).containsExactly("Call [phone]", null);
        assertThat(rows.get("4")).containsExactly("Is the CS-PUMP-01 in stock?", null);
    }
}
