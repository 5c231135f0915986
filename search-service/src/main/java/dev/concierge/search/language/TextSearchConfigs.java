package dev.concierge.search.language;

import java.util.Locale;
import java.util.Map;

/**
 * The PostgreSQL text search configuration for a page's language (its BCP 47 tag, e.g. {@code de-CH}):
 * the stemmer PostgreSQL ships for the language, {@code simple} (no stemming, no stop words) for a
 * language it has none for, and {@code english} for a page that declares no language (most stores that
 * omit {@code lang} are English, and that was the index's only configuration before).
 */
public final class TextSearchConfigs {

    public static final String DEFAULT = "english";
    public static final String SIMPLE = "simple";

    private static final Map<String, String> BY_LANGUAGE = Map.ofEntries(
            Map.entry("ar", "arabic"), Map.entry("hy", "armenian"), Map.entry("eu", "basque"),
            Map.entry("ca", "catalan"), Map.entry("da", "danish"), Map.entry("nl", "dutch"),
            Map.entry("en", "english"), Map.entry("fi", "finnish"), Map.entry("fr", "french"),
            Map.entry("de", "german"), Map.entry("el", "greek"), Map.entry("hi", "hindi"),
            Map.entry("hu", "hungarian"), Map.entry("id", "indonesian"), Map.entry("ga", "irish"),
            Map.entry("it", "italian"), Map.entry("lt", "lithuanian"), Map.entry("ne", "nepali"),
            Map.entry("no", "norwegian"), Map.entry("nb", "norwegian"), Map.entry("nn", "norwegian"),
            Map.entry("pt", "portuguese"), Map.entry("ro", "romanian"), Map.entry("ru", "russian"),
            Map.entry("sr", "serbian"), Map.entry("es", "spanish"), Map.entry("sv", "swedish"),
            Map.entry("ta", "tamil"), Map.entry("tr", "turkish"), Map.entry("yi", "yiddish"));

    private TextSearchConfigs() {
    }

    public static String forLanguage(String language) {
        if (language == null || language.isBlank()) {
            return DEFAULT;
        }
        String primary = language.strip().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        return BY_LANGUAGE.getOrDefault(primary, SIMPLE);
    }
}
