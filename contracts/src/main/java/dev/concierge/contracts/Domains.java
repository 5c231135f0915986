package dev.concierge.contracts;

import java.net.IDN;
import java.util.Locale;

/**
 * One spelling of a store's domain everywhere: lower case, no scheme, no {@code www.}, no port, path,
 * query or trailing dot/slash. {@code "https://WWW.Shop.Example/about/"} becomes {@code "shop.example"}.
 */
public final class Domains {

    private Domains() {
    }

    /** The normalised domain, or {@code null} when nothing that looks like a host name is left. */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String d = raw.trim().toLowerCase(Locale.ROOT);
        int scheme = d.indexOf("://");
        if (scheme >= 0) {
            d = d.substring(scheme + 3);
        }
        int cut = indexOfAny(d, "/?#");
        if (cut >= 0) {
            d = d.substring(0, cut);
        }
        int at = d.lastIndexOf('@');
        if (at >= 0) {
            d = d.substring(at + 1);
        }
        int colon = d.indexOf(':');
        if (colon >= 0) {
            d = d.substring(0, colon);
        }
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.startsWith("www.")) {
            d = d.substring(4);
        }
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return isHostName(d) ? d : null;
    }

    private static boolean isHostName(String d) {
        if (d.isEmpty() || d.length() > 253) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
