package dev.concierge.scraper.crawling;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which URLs of the site a crawl may fetch. Patterns are Java regular expressions, matched
 * case-insensitively and <em>anywhere</em> ({@link java.util.regex.Matcher#find()}) in the normalised
 * URL's path and query ({@code /blog/post?page=2}); anchor with {@code ^} to match a prefix. A URL is
 * allowed when it matches at least one include pattern (or there are none) and no exclude pattern. The
 * {@link #DEFAULT_EXCLUDES} (carts, checkout, accounts, logins, admin, feeds, add-to-cart and sorting
 * links, pagination beyond page 20, calendars) apply unless switched off.
 */
public final class UrlRules {

    public static final int MAX_PATTERNS = 50;
    public static final int MAX_PATTERN_LENGTH = 500;

    public static final List<String> DEFAULT_EXCLUDES = List.of(
            // shop and account flows: never content, often endless or personal
            "(^|/)(cart|basket|checkout|account|my-account|login|log-in|signin|sign-in|register|logout|"
                    + "wishlist|admin|wp-admin|wp-login\\.php|feed|rss)(/|\\?|$)",
            "[?&](add-to-cart|add_to_cart|add-to-wishlist|orderby|order|sort|filter_[a-z_]*|min_price|max_price)=",
            // pagination beyond page 20
            "(^|/)page/(2[1-9]|[3-9][0-9]|[0-9]{3,})(/|\\?|$)",
            "[?&](page|paged|p|pg)=(2[1-9]|[3-9][0-9]|[0-9]{3,})(&|$)",
            // calendar traps: endless next-month/next-day links
            "(^|/)(calendar|events/(month|day|week|list|photo|map)|ical)(/|\\?|$)",
            "[?&](ical|outlook-ical|tribe-bar-date|eventdisplay|calendar|month|date|year)=");

    public static final UrlRules NONE = new UrlRules(List.of(), List.of());

    private final List<Pattern> include;
    private final List<Pattern> exclude;

    private UrlRules(List<Pattern> include, List<Pattern> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /**
     * @throws IllegalArgumentException when a pattern is not a valid regular expression (validate first
     *                                  with {@link #problem})
     */
    public static UrlRules of(List<String> include, List<String> exclude, boolean defaultExcludes) {
        List<String> excludes = new ArrayList<>(exclude == null ? List.of() : exclude);
        if (defaultExcludes) {
            excludes.addAll(DEFAULT_EXCLUDES);
        }
        return new UrlRules(compile(include == null ? List.of() : include), compile(excludes));
    }

    /** What is wrong with {@code pattern}, or null when it is a usable pattern. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "must not be blank";
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            return "must be at most " + MAX_PATTERN_LENGTH + " characters";
        }
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a valid regular expression (" + e.getDescription() + " near index " + e.getIndex() + ")";
        }
    }

    /** Whether the (absolute) URL may be crawled; false for what is not an http(s) URL. */
    public boolean allows(String url) {
        String normalised = SiteScope.normalise(url);
        if (normalised == null) {
            return false;
        }
        String path = SiteScope.pathAndQuery(normalised);
        if (path.length() > MAX_MATCHED_LENGTH) {
            return false; // no real page has a path this long; a trap for the patterns below
        }
        try {
            if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(new Budgeted(path)).find())) {
                return false;
            }
            return exclude.stream().noneMatch(p -> p.matcher(new Budgeted(path)).find());
        } catch (BudgetExceeded e) {
            return false; // a pattern that backtracks without end on this URL: do not crawl it
        }
    }

    /** URLs longer than this are not crawled (browsers and servers commonly stop near 2,000). */
    static final int MAX_MATCHED_LENGTH = 2_048;
    /** Character reads one match may make; linear patterns need a few per character, catastrophic ones millions. */
    static final int MATCH_BUDGET = 200_000;

    /**
     * The tenant writes the patterns and the site supplies the URLs, so a pattern with nested quantifiers
     * could backtrack exponentially and hold a crawler thread forever. Every character the regex engine
     * reads is counted; past the budget the match is abandoned.
     */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private int reads;

        Budgeted(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads > MATCH_BUDGET) {
                throw new BudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    private static List<Pattern> compile(List<String> patterns) {
        return patterns.stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();
    }
}
