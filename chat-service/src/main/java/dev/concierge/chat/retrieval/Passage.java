package dev.concierge.chat.retrieval;

/** A retrieved passage of the store's own content; {@code score} is its cosine similarity to the question. */
public record Passage(String url, String title, String heading, String snippet, String text, int chunkIndex, double score) {
}
