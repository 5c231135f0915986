package dev.concierge.embedding.chunking;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a page's main text into overlapping passages along heading and sentence boundaries.
 * <p>
 * The scraper writes the main text as light Markdown: every heading on its own line behind {@code #}
 * marks, every paragraph and list item ({@code - }) on its own line. A heading starts a new section and
 * travels with the chunks below it. Inside a
 * section, sentences are packed until about {@code targetWords}; no chunk exceeds {@code maxWords}
 * (a run-on sentence is cut at word boundaries); paragraphs and list items keep their own lines inside a
 * chunk, so answers can quote them one by one; the next chunk of the same section repeats the last
 * sentences of the previous one, up to {@code overlapWords}, so an answer that straddles a boundary is
 * still found whole in one chunk.
 */
public final class Chunker {

    private static final int HEADING_MAX_WORDS = 20;

    private final int targetWords;
    private final int maxWords;
    private final int overlapWords;
    private final int maxChunks;

    public Chunker(int targetWords, int maxWords, int overlapWords, int maxChunks) {
        if (targetWords < 1 || maxWords < targetWords || overlapWords < 0 || overlapWords >= targetWords || maxChunks < 1) {
            throw new IllegalArgumentException("need 0 <= overlap < target <= max and maxChunks >= 1");
        }
        this.targetWords = targetWords;
        this.maxWords = maxWords;
        this.overlapWords = overlapWords;
        this.maxChunks = maxChunks;
    }

    public List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return chunks;
        }
        String heading = null;
        List<Piece> section = new ArrayList<>();
        for (String rawLine : text.split("\\R")) {
            String line = rawLine.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (isHeading(line)) {
                emitSection(heading, section, chunks);
                section.clear();
                heading = line.replaceFirst("^#+\\s*", "");
            } else {
                List<String> lineSentences = sentences(line);
                for (int i = 0; i < lineSentences.size(); i++) {
                    section.add(new Piece(lineSentences.get(i), i == 0));
                }
            }
        }
        emitSection(heading, section, chunks);
        if (chunks.isEmpty() && heading != null) {
            add(chunks, heading, heading); // a page that is only a heading is still findable by it
        }
        return chunks;
    }

    /** A sentence, and whether it starts a line of the page (a paragraph or list item). */
    private record Piece(String text, boolean startsLine) {
    }

    private void emitSection(String heading, List<Piece> sentences, List<Chunk> out) {
        List<Piece> current = new ArrayList<>();
        int words = 0;
        boolean fresh = true; // current holds sentences not yet in any chunk
        for (Piece sentence : sentences) {
            boolean first = true;
            for (String part : boundedPieces(sentence.text())) {
                Piece piece = new Piece(part, first && sentence.startsLine());
                first = false;
                int w = wordCount(part);
                if (words + w > maxWords || (words >= targetWords && fresh)) {
                    add(out, heading, join(current));
                    current = overlapTail(current);
                    words = current.stream().mapToInt(p -> wordCount(p.text())).sum();
                    fresh = false;
                }
                current.add(piece);
                words += w;
                fresh = true;
            }
        }
        if (!current.isEmpty() && fresh) {
            add(out, heading, join(current));
        }
    }

    /** Sentences of one line are joined by a space; a new paragraph or list item starts a new line. */
    private static String join(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            if (sb.length() > 0) {
                sb.append(p.startsLine() ? '\n' : ' ');
            }
            sb.append(p.text());
        }
        return sb.toString();
    }

    private List<Piece> overlapTail(List<Piece> sentences) {
        List<Piece> tail = new ArrayList<>();
        int words = 0;
        for (int i = sentences.size() - 1; i >= 1; i--) { // never carry the whole chunk over
            int w = wordCount(sentences.get(i).text());
            if (words + w > overlapWords) {
                break;
            }
            tail.add(0, sentences.get(i));
            words += w;
        }
        return tail;
    }

    private void add(List<Chunk> out, String heading, String text) {
        if (out.size() < maxChunks && !text.isBlank()) {
            out.add(new Chunk(out.size(), heading, text.strip()));
        }
    }

    /** The sentence itself, or word-bounded pieces of it when it is longer than a chunk may be. */
    private List<String> boundedPieces(String sentence) {
        String[] words = sentence.strip().split("\\s+");
        if (words.length <= maxWords) {
            return List.of(sentence.strip());
        }
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < words.length; i += targetWords) {
            pieces.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, Math.min(words.length, i + targetWords))));
        }
        return pieces;
    }

    static boolean isHeading(String line) {
        return line.startsWith("#") && line.replaceFirst("^#+", "").startsWith(" ")
                && wordCount(line) <= HEADING_MAX_WORDS + 1;
    }

    static List<String> sentences(String line) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(line);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = line.substring(start, end).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    static int wordCount(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
