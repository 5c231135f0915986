package dev.concierge.gateway.tenants.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.concierge.contracts.Domains;

/**
 * E-mail addresses as tenants give them for the handoff to a human: {@code local@domain}, where the local part
 * is a dot-atom (RFC 5322 without quoted strings or comments) and the domain a host name with at least one dot.
 * Stricter than the RFC on purpose: whatever passes is safe to put in a header or a {@code mailto:} link.
 */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    private static final Pattern LOCAL_PART =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private EmailAddresses() {
    }

    /** The address with its domain in lower case, or {@code null} when {@code raw} is not such an address. */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String address = raw.strip();
        int at = address.lastIndexOf('@');
        if (address.length() > MAX_LENGTH || at < 1 || at > MAX_LOCAL_LENGTH || at == address.length() - 1) {
            return null;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!LOCAL_PART.matcher(local).matches() || !domain.contains(".") || !isHostName(domain)) {
            return null;
        }
        return local + "@" + domain;
    }

    /** Whether {@code domain} is an ASCII host name, i.e. {@link Domains#normalise} leaves it as it is. */
    private static boolean isHostName(String domain) {
        String normalised = Domains.normalise(domain);
        // normalise() also drops a leading "www.", which is fine in a mail domain
        return normalised != null && (normalised.equals(domain) || ("www." + normalised).equals(domain));
    }
}
