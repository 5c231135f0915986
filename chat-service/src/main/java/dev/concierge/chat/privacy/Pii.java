package dev.concierge.chat.privacy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in free text and replaces it with typed placeholders: {@code [email]}, {@code [iban]},
 * {@code [card]}, {@code [phone]}, {@code [address]}. Used for everything chat-service lets out of the
 * conversation itself: the stored {@code content} of a message, chat.message-posted.v1 events, search queries
 * and log lines.
 *
 * <p>What it catches:
 * <ul>
 * <li><b>Emails</b>: {@code local@domain.tld}, Unicode letters allowed.</li>
 * <li><b>IBANs</b>: compact or in groups of four, only when the ISO 13616 mod-97 check passes.</li>
 * <li><b>Payment cards</b>: 13 to 19 digits, plain or grouped by spaces or hyphens, starting with 2 to 6 (Visa,
 * Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro) and passing the Luhn check, so order numbers, SKUs
 * and EANs are left alone.</li>
 * <li><b>Phone numbers</b>: international ({@code +31 6 1234 5678}, {@code 0049 30 1234567},
 * {@code +44 (0)20 7946 0958}; 8 to 15 digits); national with a trunk zero ({@code 06-12345678},
 * {@code 020 123 4567}, {@code (030) 1234567}, {@code 0151 12345678}, {@code 07700 900123}; 9 to 12 digits);
 * North American ({@code (555) 123-4567}, {@code 1-800-555-0199}); and any 7 to 15 digit number right after a
 * phone word ({@code phone}, {@code tel}, {@code mobile}, {@code call me at}, {@code telefoon}, {@code mobiel},
 * {@code Telefon}, {@code Handy}, …). Dates ({@code 01-02-2024 10}) and numbers right after an order, invoice,
 * tracking or SKU word are not phone numbers.</li>
 * <li><b>Street addresses</b>: house number first with an English street word ({@code 221B Baker Street},
 * {@code 350 5th Ave, Apt 4}); a Romance street word ({@code 10 rue de la Paix}); street first with a Dutch,
 * German or Nordic street word, joined or separate ({@code Hoofdstraat 12}, {@code Keizersgracht 123-2},
 * {@code Berliner Straße 10a}, {@code Kerkweg 5}); each with a following postcode and city line when there is one
 * ({@code , 3511 AB Utrecht}, {@code , D-10115 Berlin}, {@code , London SW1A 1AA},
 * {@code , Springfield, IL 62704}). Also, without a street: a Dutch postcode with its city, a UK postcode, a US
 * "City, ST 12345" line, and P.O. boxes ({@code Postbus 123}, {@code Postfach 12 34}).</li>
 * </ul>
 *
 * <p>What it does not catch (known limits, so nobody relies on it for more): names of people; obfuscated emails
 * ({@code jan at example dot com}); phone numbers without separators, trunk zero or {@code +} and without a phone
 * word ({@code 5551234567}); card numbers with a typo (they fail Luhn) or split over lines, expiry dates and CVCs;
 * streets without a house number or with a street word not listed above; a bare 4 or 5 digit postcode and city
 * without a street ({@code 10115 Berlin}, too close to "12000 Euro"); national ids, dates of birth, IP addresses.
 * It may over-redact a capitalised word before a street ({@code Visit Kerkweg 12} → {@code [address]}) and, with
 * Luhn's one-in-ten chance, a long number that merely looks like a card.
 */
public final class Pii {

    public static final String EMAIL = "[email]";
    public static final String IBAN = "[iban]";
    public static final String CARD = "[card]";
    public static final String PHONE = "[phone]";
    public static final String ADDRESS = "[address]";

    private Pii() {
    }

    /** {@code text} with every piece of personal data it recognises replaced by its placeholder. */
    public static String redact(String text) {
        return redact(text, List.of());
    }

    /**
     * Like {@link #redact(String)}, but keeps values that appear verbatim in {@code published}: the store's own
     * pages an assistant answer quotes (the shop's contact email or phone number is public, not the shopper's).
     */
    public static String redact(String text, Collection<String> published) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<Span> spans = new ArrayList<>();
        emails(text, spans);
        ibans(text, spans);
        cards(text, spans);
        phones(text, spans);
        addresses(text, spans);
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort(Comparator.comparingInt(Span::start));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Span s : spans) {
            String value = text.substring(s.start, s.end);
            if (published.stream().anyMatch(p -> p != null && p.contains(value))) {
                continue;
            }
            out.append(text, at, s.start).append(s.placeholder);
            at = s.end;
        }
        return out.append(text, at, text.length()).toString();
    }

    /**
     * A throwable for a log line: its type and its message with personal data redacted and URL query strings
     * dropped (a failed call to search-service names its URL, and the query string is the shopper's question).
     */
    public static String describe(Throwable t) {
        if (t == null) {
            return "null";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        return t.getClass().getName() + ": " + redact(QUERY_STRING.matcher(message).replaceAll("$1?…"));
    }

    private static final Pattern QUERY_STRING = Pattern.compile("(\\w+://[^\\s?#]*)\\?[^\\s]*");

    // ---- emails -------------------------------------------------------------------------------------------

    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+'-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+\\p{L}{2,}");

    private static void emails(String text, List<Span> spans) {
        Matcher m = EMAIL_PATTERN.matcher(text);
        while (m.find()) {
            add(spans, m.start(), m.end(), EMAIL);
        }
    }

    // ---- IBANs --------------------------------------------------------------------------------------------

    private static final Pattern IBAN_PATTERN = Pattern.compile(
            "(?<![\\p{L}\\p{N}])[A-Za-z]{2}\\d{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,4})?)(?![\\p{L}\\p{N}])");

    private static void ibans(String text, List<Span> spans) {
        Matcher m = IBAN_PATTERN.matcher(text);
        while (m.find()) {
            String candidate = m.group();
            // A grouped IBAN followed by a four-letter word ("… 00 that") matched one group too many: drop groups.
            for (int end = candidate.length(); end > 0; end = candidate.lastIndexOf(' ', end - 1)) {
                if (validIban(candidate.substring(0, end))) {
                    add(spans, m.start(), m.start() + end, IBAN);
                    break;
                }
            }
        }
    }

    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34 || !iban.matches("[A-Z]{2}\\d{2}[A-Z0-9]+")) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    // ---- payment cards ------------------------------------------------------------------------------------

    /** Runs of digits with at most one space or hyphen between them; not after +, #, a letter or a digit. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![\\p{L}\\p{N}+#.,/-])\\d++(?:[ -]\\d++)*+(?![\\p{L}\\p{N}])");

    private static void cards(String text, List<Span> spans) {
        Matcher m = DIGIT_RUN.matcher(text);
        while (m.find()) {
            if (NUMBER_WORD_BEFORE.matcher(text.substring(Math.max(0, m.start() - 30), m.start())).find()) {
                continue; // "EAN 4006381333931", "order 4111 …": a number the shopper names as something else
            }
            List<int[]> groups = groups(text, m.start(), m.end());
            for (int i = 0; i < groups.size(); i++) {
                StringBuilder digits = new StringBuilder();
                for (int j = i; j < groups.size() && digits.length() < 19; j++) {
                    digits.append(text, groups.get(j)[0], groups.get(j)[1]);
                    if (digits.length() >= 13 && digits.length() <= 19 && isCardNumber(digits)) {
                        add(spans, groups.get(i)[0], groups.get(j)[1], CARD);
                        i = j;
                        break;
                    }
                }
            }
        }
    }

    private static List<int[]> groups(String text, int start, int end) {
        List<int[]> groups = new ArrayList<>();
        int i = start;
        while (i < end) {
            int j = i;
            while (j < end && Character.isDigit(text.charAt(j))) {
                j++;
            }
            groups.add(new int[] {i, j});
            i = j + 1; // skip the one separator
        }
        return groups;
    }

    static boolean isCardNumber(CharSequence digits) {
        char first = digits.charAt(0);
        return first >= '2' && first <= '6' && luhn(digits);
    }

    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    // ---- phone numbers ------------------------------------------------------------------------------------

    private static final String NOT_AFTER = "(?<![\\p{L}\\p{N}+#/.,_-])";
    private static final String NOT_BEFORE = "(?![\\p{L}\\p{N}]|[.,/-]\\d)";

    private static final Pattern INTERNATIONAL = Pattern.compile(NOT_AFTER
            + "(?:\\+|00)[1-9]\\d{0,3}(?:[ .-]?\\(0\\))?(?:[ .-]?\\(?\\d{1,5}\\)?){1,7}" + NOT_BEFORE);
    private static final Pattern NATIONAL = Pattern.compile(NOT_AFTER
            + "(?:\\(0[1-9]\\d{0,4}\\)|0[1-9]\\d{0,4})(?:(?:[ .-]|\\s?/\\s?)?\\d{2,8}){1,5}" + NOT_BEFORE);
    private static final Pattern NORTH_AMERICAN = Pattern.compile(NOT_AFTER
            + "(?:1[ .-])?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[ .-])\\d{3}[ .-]\\d{4}" + NOT_BEFORE);
    private static final Pattern PHONE_WORD = Pattern.compile("(?iu)\\b(?:phone|tel|telephone|mobile|cell|cellphone|"
            + "whatsapp|sms|call me (?:at|on)|text me (?:at|on)|reach me (?:at|on)|telefoon|mobiel|bel me(?: op)?|"
            + "telefon|telefonnummer|handy|handynummer|rufnummer|téléphone|portable|número|telefono|cellulare)\\b"
            + "\\.?\\s*(?:number|nummer|nr\\.?|no\\.?)?\\s*(?:is|:|=|at|on|op|ist)?\\s*"
            + "(\\+?\\d[\\d .()/-]{5,22}\\d)" + NOT_BEFORE);
    /** Numbers right after these words are order, invoice, tracking or article numbers, not phone numbers. */
    private static final Pattern NUMBER_WORD_BEFORE = Pattern.compile("(?iu)\\b(?:order|orders|bestelling|"
            + "bestelnummer|bestellung|bestellnummer|commande|invoice|factuur|rechnung|tracking|track|sku|ean|isbn|"
            + "article|artikel|art|item|ref|reference|referentie|kenmerk)\\.?\\s*(?:no\\.?|nr\\.?|number|nummer|id|"
            + "#|:)?\\s*[:#]?\\s*$");
    private static final Pattern DATE = Pattern.compile(
            "(?<![\\d+])(?:\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./](?:\\d{4}|\\d{2}))(?!\\d)");

    private static void phones(String text, List<Span> spans) {
        List<int[]> dates = new ArrayList<>();
        Matcher d = DATE.matcher(text);
        while (d.find()) {
            dates.add(new int[] {d.start(), d.end()});
        }
        Matcher cue = PHONE_WORD.matcher(text);
        while (cue.find()) {
            int n = digitCount(cue.group(1));
            if (n >= 7 && n <= 15 && !overlaps(dates, cue.start(1), cue.end(1))) {
                add(spans, cue.start(1), cue.end(1), PHONE);
            }
        }
        phones(text, INTERNATIONAL, 8, 15, dates, spans);
        phones(text, NATIONAL, 9, 12, dates, spans);
        phones(text, NORTH_AMERICAN, 10, 11, dates, spans);
    }

    private static void phones(String text, Pattern pattern, int minDigits, int maxDigits, List<int[]> dates,
                               List<Span> spans) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            int start = m.start();
            int end = m.end();
            String candidate = text.substring(start, end);
            // Over-long runs ("+31 6 12345678 2 bikes") lose trailing groups until the count fits.
            while (digitCount(candidate.replace("(0)", "")) > maxDigits && candidate.matches("(?s).*\\D\\d+$")) {
                candidate = candidate.replaceFirst("[^\\d(]*\\(?\\d+\\)?$", "");
                end = start + candidate.length();
            }
            int n = digitCount(candidate.replace("(0)", ""));
            if (n < minDigits || n > maxDigits || overlaps(dates, start, end)
                    || NUMBER_WORD_BEFORE.matcher(text.substring(Math.max(0, start - 30), start)).find()) {
                continue;
            }
            add(spans, start, end, PHONE);
        }
    }

    private static int digitCount(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static boolean overlaps(List<int[]> ranges, int start, int end) {
        return ranges.stream().anyMatch(r -> r[0] < end && start < r[1]);
    }

    // ---- addresses ----------------------------------------------------------------------------------------

    private static final String CITY = "\\p{Lu}[\\p{L}']*(?:[ -](?:\\p{Lu}[\\p{L}']*|aan|am|an|de|den|der|la|le|sur|upon)){0,2}";
    private static final String UK_POSTCODE = "[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}";
    /** A postcode-and-city line: Dutch, continental 4/5 digits with optional country prefix, UK, US. */
    private static final String POSTCODE_CITY = "(?:[1-9]\\d{3} ?[A-Z]{2} +" + CITY
            + "|(?:[A-Z]{1,2}-)?\\d{4,5} +" + CITY
            + "|(?:" + CITY + ",? )?" + UK_POSTCODE
            + "|" + CITY + ", ?[A-Z]{2} \\d{5}(?:-\\d{4})?)";
    private static final String TAIL = "(?:(?:,[ \\t]*|[ \\t]+|[ \\t]*\\R[ \\t]*)" + POSTCODE_CITY + "(?![\\p{L}\\p{N}]))?";
    private static final String STOP_WORDS = "(?:and|or|the|to|of|in|on|at|for|from|with|my|your|our|a|an|is|are|was|"
            + "it|this|that|by|per|x|days?|weeks?|months?|years?|hours?|minutes?|items?|pieces?|euros?|dollars?|km|kg|cm|mm|m)\\b";
    private static final String NAME_WORD = "(?:\\d{1,3}(?:st|nd|rd|th)|(?!(?i:" + STOP_WORDS + "))\\p{L}[\\p{L}'.-]*)";
    private static final String UNIT = "(?:,?\\s+(?i:apt|apartment|suite|ste|unit|flat|floor|fl)\\.?\\s*#?[\\p{L}\\p{N}]{1,5})?";

    private static final Pattern NUMBER_FIRST = Pattern.compile("(?<![\\p{L}\\p{N}/.,#-])\\d{1,5}[A-Za-z]?(?:[-/]\\d{1,4})?,?\\s+"
            + "(?:" + NAME_WORD + "\\s+){1,3}"
            + "(?:(?i:street|road|avenue|lane|drive|boulevard|way|court|place|terrace|crescent|close|square|highway|"
            + "parkway)\\b|(?i:st|rd|ave|av|ln|dr|blvd|ct|pl|sq|hwy|pkwy)\\b\\.?)" + UNIT + TAIL);
    private static final String PARTICLE = "(?:de|du|des|la|le|l'|d'|del|della|di|da)";
    private static final Pattern ROMANCE = Pattern.compile("(?<![\\p{L}\\p{N}/.,#-])\\d{1,5}(?: ?(?:bis|ter|[A-Za-z]))?,?\\s+"
            + "(?i:rue|avenue|av\\.|boulevard|bd|place|chemin|allée|impasse|quai|route)\\s+"
            + "(?:" + PARTICLE + "\\s*)*\\p{Lu}[\\p{L}'-]*(?:\\s+(?:" + PARTICLE + "\\s*)*\\p{Lu}[\\p{L}'-]*){0,3}" + TAIL);
    private static final String STREET_SUFFIX = "straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|steeg|straße|strasse"
            + "|str\\.|gasse|allee|platz|damm|ufer|chaussee|gatan|gata|gade|vej|veien|vägen";
    private static final String STREET_WORD = "Straat|Laan|Weg|Plein|Gracht|Kade|Singel|Dijk|Dreef|Steeg|Straße|Strasse"
            + "|Str\\.|Gasse|Allee|Platz|Damm|Ufer|Chaussee|Gatan|Gata|Gade|Vej|Veien|Vägen";
    /**
     * A joined street name ({@code Hoofdstraat}, {@code kerkweg}, {@code Burgemeester van Reenensingel}), or a
     * capitalised street word after a name ({@code Berliner Straße}, {@code Am Weg}): a bare lower-case "weg" is
     * Dutch for "gone", not a street. One word before the street at most: German capitalises every noun.
     */
    private static final Pattern STREET_FIRST = Pattern.compile("(?<![\\p{L}\\p{N}-])"
            + "(?:\\p{Lu}[\\p{L}'.-]*\\s+(?:(?:van|de|der|den|het|von|am|an|im|zum|zur|auf)\\s+)?)?"
            + "(?:(?!(?i:onderweg|halfweg|midweg)\\b)[\\p{L}'-]+(?i:" + STREET_SUFFIX + ")|(?:" + STREET_WORD + "))"
            + "\\s+\\d{1,5}(?:\\s?[A-Za-z](?![\\p{L}]))?(?:\\s?[-/]\\s?\\d{1,4}[A-Za-z]?)?(?![\\p{L}\\p{N}]|[.,]\\d)" + UNIT + TAIL);
    private static final Pattern POSTCODE_ALONE = Pattern.compile("(?<![\\p{L}\\p{N}-])(?:[1-9]\\d{3} ?[A-Z]{2} +" + CITY
            + "|[A-Z]{1,2}\\d[A-Z\\d]? \\d[A-Z]{2}|" + CITY + ", ?[A-Z]{2} \\d{5}(?:-\\d{4})?)(?![\\p{L}\\p{N}])");
    private static final Pattern PO_BOX = Pattern.compile(
            "(?iu)\\b(?:p\\.? ?o\\.? ?box|postbus|postfach|boîte postale|apartado)\\s*\\d{1,6}(?: \\d{2,4})?" + TAIL);

    private static void addresses(String text, List<Span> spans) {
        for (Pattern p : List.of(NUMBER_FIRST, ROMANCE, STREET_FIRST, PO_BOX, POSTCODE_ALONE)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                add(spans, m.start(), m.end(), ADDRESS);
            }
        }
    }

    // ---- spans --------------------------------------------------------------------------------------------

    private record Span(int start, int end, String placeholder) {
    }

    /** Adds a span unless an earlier (higher priority) one overlaps it. */
    private static void add(List<Span> spans, int start, int end, String placeholder) {
        if (end <= start) {
            return;
        }
        for (Span s : spans) {
            if (s.start < end && start < s.end) {
                return;
            }
        }
        spans.add(new Span(start, end, placeholder));
    }
}
