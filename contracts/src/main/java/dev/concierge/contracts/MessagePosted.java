package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * Every user and assistant message of a conversation, published by chat-service on
 * {@link Topics#MESSAGE_POSTED} for other systems (analytics, CRM, human hand-off).
 *
 * @param role     {@code user} or {@code assistant}
 * @param grounded for assistant messages: whether the answer rests on retrieved sources; null for user messages
 * @param sources  for assistant messages: the URLs cited; empty otherwise
 */
public record MessagePosted(
        String tenantId,
        String conversationId,
        String sessionId,
        String messageId,
        String role,
        String content,
        Boolean grounded,
        List<String> sources,
        Instant postedAt) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
}
