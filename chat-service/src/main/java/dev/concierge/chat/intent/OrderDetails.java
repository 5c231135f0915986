package dev.concierge.chat.intent;

import dev.concierge.chat.privacy.Pii;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order number and e-mail address a shopper gave for an order lookup, found in their messages. Both
 * are needed (commerce-service's lookup matches them together); the agent asks for whichever is missing.
 */
public record OrderDetails(String orderNumber, String email) {

    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
    /** "order 1234", "#1234", "order no. 1234", or a bare 3–10 digit number (not a price, not a year-like date). */
    static final Pattern NUMBER = Pattern.compile("(?:order\\s*(?:no\\.?|number|nr\\.?|#)?\\s*#?|#)\\s*(\\d{3,10})\\b|\\b(\\d{3,10})\\b",
            Pattern.CASE_INSENSITIVE);
    /** How the agent asks for the details; a follow-up message answering it continues the lookup. */
    static final Pattern ASKED = Pattern.compile("order number|e-?mail address you (used|ordered)", Pattern.CASE_INSENSITIVE);

    public static OrderDetails from(String text) {
        String email = null;
        Matcher e = EMAIL.matcher(text);
        if (e.find()) {
            email = e.group().toLowerCase(Locale.ROOT);
        }
        // phone numbers, cards, IBANs and addresses hold digits too: look for the order number in what is left
        String withoutEmail = Pii.redact(e.replaceAll(" "));
        String number = null;
        Matcher n = NUMBER.matcher(withoutEmail);
        while (n.find()) {
            String candidate = n.group(1) != null ? n.group(1) : n.group(2);
            int end = n.end();
            boolean money = end < withoutEmail.length() && (withoutEmail.charAt(end) == '.' || withoutEmail.charAt(end) == ',')
                    && end + 1 < withoutEmail.length() && Character.isDigit(withoutEmail.charAt(end + 1));
            boolean currency = n.start() > 0 && "€$£".indexOf(withoutEmail.charAt(Math.max(0, n.start() - 1))) >= 0;
            if (!money && !currency) {
                number = candidate;
                if (n.group(1) != null) {
                    break; // an explicitly named order number wins over bare numbers
                }
            }
        }
        return new OrderDetails(number, email);
    }

    /** Details from the latest messages first, older ones filling what is missing. */
    public static OrderDetails fromMessages(List<String> newestFirst) {
        String number = null;
        String email = null;
        for (String m : newestFirst) {
            OrderDetails d = from(m);
            number = number != null ? number : d.orderNumber;
            email = email != null ? email : d.email;
        }
        return new OrderDetails(number, email);
    }

    public boolean complete() {
        return orderNumber != null && email != null;
    }
}
