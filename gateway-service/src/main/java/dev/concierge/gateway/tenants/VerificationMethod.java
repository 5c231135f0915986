package dev.concierge.gateway.tenants;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a tenant proved it controls its domain, by the names the API and the database use. */
public enum VerificationMethod {
    /** {@code https://<domain>/.well-known/concierge-verify.txt} contains the token. */
    WELL_KNOWN_FILE("well_known_file"),
    /** A DNS TXT record {@code _concierge-verify.<domain>} contains the token. */
    DNS_TXT("dns_txt"),
    /** The home page has {@code <meta name="concierge-verification" content="<token>">}. */
    META_TAG("meta_tag");

    private final String value;

    VerificationMethod(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The method spelled {@code value} exactly, or {@code null}. */
    public static VerificationMethod parse(String value) {
        return Arrays.stream(values()).filter(method -> method.value.equals(value)).findFirst().orElse(null);
    }
}
