package dev.concierge.chat.conversation;

/** One earlier message of a conversation, as context for the next answer. */
public record Turn(String role, String content) {

    public boolean fromUser() {
        return "user".equals(role);
    }
}
