package dev.concierge.chat.answering;

import dev.concierge.chat.retrieval.Passage;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The grounded responder that needs no language model: it answers by quoting the sentences of the
 * retrieved passages that best answer the question, and nothing else. A sentence's score mixes how many
 * of the question's content words it contains (weighted by rarity among the candidates) with the
 * similarity of its passage to the question. It is the default without {@code OPENAI_API_KEY} and the
 * fallback whenever the model fails.
 */
@Component
public class OfflineResponder {

    static final int MAX_SENTENCES = 3;
    static final int MAX_WORDS = 80;
    /** Passages more than this below the best one's similarity are not quoted. */
    static final double FOCUS = 0.15;
    /** Without a shared word, a passage must be at least this similar to be quoted. */
    static final double SEMANTIC_ONLY_FLOOR = 0.45;
    private static final Pattern SITE_SUFFIX = Pattern.compile("\\s+[|–—·-]\\s+");
    private static final Pattern GREETING = Pattern.compile(
            "^(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks|thank you|cheers)\\b.*", Pattern.CASE_INSENSITIVE);

    public Answer greetingOrNull(String question) {
        String q = question.strip();
        if (GREETING.matcher(q).matches() && q.split("\\s+").length <= 4) {
            if (q.toLowerCase(Locale.ROOT).startsWith("thank") || q.toLowerCase(Locale.ROOT).startsWith("cheers")) {
                return Answer.ungrounded("You're welcome! Is there anything else I can help you with?");
            }
            return Answer.ungrounded("Hello! Ask me anything about our products, shipping, returns or orders.");
        }
        return null;
    }

    /** @param passages the passages that cleared the similarity floor, best first; never empty */
    public Answer answer(String question, List<Passage> passages) {
        Set<String> questionTerms = Terms.of(question);
        double topScore = passages.stream().mapToDouble(Passage::score).max().orElse(0);
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < passages.size(); rank++) {
            Passage p = passages.get(rank);
            if (rank > 0 && p.score() < topScore - FOCUS) {
                continue; // stay with the passages that are nearly as relevant as the best one
            }
            Set<String> headingTerms = p.heading() == null ? Set.of() : Terms.of(p.heading());
            List<String> sentences = sentences(p.text());
            for (int i = 0; i < sentences.size(); i++) {
                candidates.add(new Candidate(p, rank, i, sentences.get(i), Terms.of(sentences.get(i)), headingTerms));
            }
        }
        if (candidates.isEmpty()) {
            return Answer.ungrounded(IDK);
        }
        Map<String, Double> idf = idf(questionTerms, candidates);
        double maxLexical = questionTerms.stream().mapToDouble(t -> idf.getOrDefault(t, 0.0)).sum();
        for (Candidate c : candidates) {
            for (String t : questionTerms) {
                if (c.terms.contains(t)) {
                    c.lexical += idf.get(t);
                } else if (c.headingTerms.contains(t)) {
                    c.lexical += 0.5 * idf.get(t); // the sentence sits under a heading that names it
                }
            }
            c.score = (maxLexical > 0 ? 0.6 * c.lexical / maxLexical : 0) + 0.4 * c.passage.score() - 0.03 * c.rank;
        }
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
        Candidate best = ranked.get(0);
        if (best.lexical == 0 && best.passage.score() < SEMANTIC_ONLY_FLOOR) {
            // Nothing in the passages shares a word with the question and they are only loosely similar:
            // quoting them would be answering a different question.
            return Answer.ungrounded(IDK);
        }

        List<Candidate> chosen = new ArrayList<>();
        chosen.add(best);
        int words = words(best.sentence);
        for (Candidate c : ranked.subList(1, ranked.size())) {
            if (chosen.size() == MAX_SENTENCES || c.score < 0.75 * best.score) {
                break;
            }
            if (words + words(c.sentence) <= MAX_WORDS && chosen.stream().noneMatch(x -> x.sentence.equals(c.sentence))) {
                chosen.add(c);
                words += words(c.sentence);
            }
        }
        // Quote in reading order: by passage rank, then position in the passage.
        chosen.sort(Comparator.comparingInt((Candidate c) -> c.rank).thenComparingInt(c -> c.position));
        Map<String, Passage> sources = new LinkedHashMap<>();
        sources.put(best.passage.url(), best.passage);
        chosen.forEach(c -> sources.putIfAbsent(c.passage.url(), c.passage));

        StringBuilder text = new StringBuilder();
        String title = pageName(best.passage.title());
        text.append(title == null ? "Here is what I found: " : "Here is what our “" + title + "” page says: ");
        Set<String> seen = new LinkedHashSet<>();
        for (Candidate c : chosen) {
            if (seen.add(c.sentence)) {
                text.append(c.sentence).append(c.sentence.matches(".*[.!?:]$") ? " " : ". ");
            }
        }
        return new Answer(text.toString().strip(), List.copyOf(sources.values()), true);
    }

    /** "Returns & refunds | Cedar & Spoke Cycles" → "Returns & refunds"; null when there is no title. */
    static String pageName(String title) {
        if (title == null || title.isBlank()) {
            return null;
        }
        String name = SITE_SUFFIX.split(title.strip(), 2)[0].strip();
        return name.isEmpty() ? title.strip() : name;
    }

    public static final String IDK = "I'm sorry, I don't know that. I can only answer from this store's own pages, "
            + "and I couldn't find anything about it there. " + StoreContact.GENERIC;

    private static Map<String, Double> idf(Set<String> questionTerms, List<Candidate> candidates) {
        Map<String, Double> idf = new HashMap<>();
        int n = candidates.size();
        for (String t : questionTerms) {
            long df = candidates.stream().filter(c -> c.terms.contains(t)).count();
            idf.put(t, Math.log(1.0 + (double) n / (1 + df)));
        }
        return idf;
    }

    /** The sentences worth quoting: no headings, and none written as an instruction to an AI (prompt injection). */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#")) {
                continue; // a heading names a topic, it answers nothing
            }
            String line = trimmed.replaceFirst("^[-•*]\\s+", "");
            if (line.isEmpty()) {
                continue;
            }
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
            it.setText(line);
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                String s = line.substring(start, end).strip();
                if (words(s) >= 2 && !PromptInjection.looksLikeInstruction(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    private static final class Candidate {
        final Passage passage;
        final int rank;
        final int position;
        final String sentence;
        final Set<String> terms;
        final Set<String> headingTerms;
        double lexical;
        double score;

        Candidate(Passage passage, int rank, int position, String sentence, Set<String> terms, Set<String> headingTerms) {
            this.passage = passage;
            this.rank = rank;
            this.position = position;
            this.sentence = sentence;
            this.terms = terms;
            this.headingTerms = headingTerms;
        }
    }
}
