package dev.concierge.chat.answering;

import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.conversation.Turn;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The extractive summary of a conversation's older messages, made without a model: one line per message, the
 * first sentence of each shopper question and of each answer (at most {@value #LINE_CHARS} characters), after
 * the previous summary's lines. When it is longer than allowed, answer lines go first (oldest first), then the
 * shopper's, keeping the very first one, which usually says what the conversation is about ("my Cube Kathmandu").
 * A sentence that reads as an instruction to the assistant (prompt injection) is left out: the summary reaches
 * the model as a system note.
 */
public final class Summaries {

    static final int LINE_CHARS = 200;

    private Summaries() {
    }

    public static String extractive(String previous, List<Turn> older, int maxTokens) {
        List<String> lines = new ArrayList<>();
        if (previous != null && !previous.isBlank()) {
            lines.addAll(previous.lines().filter(l -> !l.isBlank()).toList());
        }
        for (Turn t : older) {
            if (t.isSummary()) {
                continue;
            }
            String first = firstSentence(t.content());
            if (!first.isEmpty() && !PromptInjection.looksLikeInstruction(first) && !PromptInjection.asksToBreakRules(first)) {
                lines.add((t.fromUser() ? "Shopper: " : "Assistant: ") + first);
            }
        }
        while (ContextBudget.estimate(String.join("\n", lines)) > maxTokens && lines.size() > 1) {
            int drop = -1;
            for (int i = 0; i < lines.size() && drop < 0; i++) {
                if (lines.get(i).startsWith("Assistant: ")) {
                    drop = i;
                }
            }
            lines.remove(drop >= 0 ? drop : 1);
        }
        String text = String.join("\n", lines);
        return text.length() > maxTokens * 4 ? text.substring(0, maxTokens * 4) : text;
    }

    static String firstSentence(String text) {
        String s = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(s);
        int end = it.next();
        String first = end == BreakIterator.DONE ? s : s.substring(0, end).strip();
        return first.length() > LINE_CHARS ? first.substring(0, LINE_CHARS - 1) + "…" : first;
    }
}
