package dev.concierge.contracts;

import java.time.Instant;

/**
 * The state of a conversation after it changed, published by chat-service on {@link Topics#CONVERSATION_UPDATED}:
 * when it starts, after each of its messages (user and assistant), and when it expires after inactivity. Each
 * event is a full snapshot, so a subscriber only needs the latest one per conversation (the key keeps one
 * conversation's events in order; on a replay, the higher {@code messageCount} / later {@code updatedAt} wins).
 *
 * @param status         {@code active} or {@code expired}
 * @param change         what happened: {@code started}, {@code message} or {@code expired}
 * @param messageCount   messages stored so far (0 when started)
 * @param lastActivityAt when the last message was stored (the creation time while there is none)
 * @param updatedAt      when the change happened
 */
public record ConversationUpdated(
        String tenantId,
        String conversationId,
        String sessionId,
        String status,
        String change,
        int messageCount,
        Instant createdAt,
        Instant lastActivityAt,
        Instant updatedAt) {

    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";

    public static final String STARTED = "started";
    public static final String MESSAGE = "message";
}
