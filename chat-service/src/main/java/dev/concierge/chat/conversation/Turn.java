package dev.concierge.chat.conversation;

/**
 * One earlier message of a conversation, as context for the next answer; or, with role {@value #SUMMARY}, the
 * summary of the messages before the ones given verbatim (a system note to the model).
 */
public record Turn(String role, String content) {

    public static final String SUMMARY = "summary";

    public static Turn summary(String text) {
        return new Turn(SUMMARY, text);
    }

    public boolean fromUser() {
        return "user".equals(role);
    }

    public boolean isSummary() {
        return SUMMARY.equals(role);
    }
}
