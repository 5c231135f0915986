package dev.concierge.embedding.chunking;

/** A passage of a page: its position, the nearest heading above it, and its text. */
public record Chunk(int index, String heading, String text) {

    /** What gets embedded: the passage in the context of its page title and heading. */
    public String embeddingInput(String title) {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isBlank()) {
            sb.append(title.strip()).append(". ");
        }
        if (heading != null && !heading.isBlank() && !heading.equals(title)) {
            sb.append(heading.strip()).append(". ");
        }
        return sb.append(text).toString();
    }
}
