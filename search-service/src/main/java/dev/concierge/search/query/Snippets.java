package dev.concierge.search.query;

/** A display snippet: the passage cut at a word boundary to about 240 characters. */
final class Snippets {

    static final int LENGTH = 240;

    private Snippets() {
    }

    static String of(String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        if (t.length() <= LENGTH) {
            return t;
        }
        int cut = t.lastIndexOf(' ', LENGTH);
        return t.substring(0, cut > LENGTH / 2 ? cut : LENGTH) + "…";
    }
}
