package dev.concierge.gateway.verification;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one verification method found; every value but {@link #VERIFIED} is a reason it failed. */
public enum Outcome {
    /** The token was found: the domain is verified. */
    VERIFIED,
    /** No file (404/410), no TXT record, or no meta tag. */
    NOT_FOUND,
    /** The file, record or tag is there but does not contain the current token (an old one, a typo). */
    WRONG_TOKEN,
    /** The site answered with another error status. */
    HTTP_ERROR,
    /** The TLS handshake failed: untrusted or mismatched certificate, no TLS at all. */
    TLS_ERROR,
    /** No connection or no answer in time. */
    TIMEOUT,
    /** The connection was refused or dropped. */
    CONNECTION_FAILED,
    /** The domain does not resolve to an address. */
    UNRESOLVABLE,
    /** The domain resolves to a loopback, private, link-local or other non-public address (SSRF protection). */
    BLOCKED_ADDRESS,
    /** A redirect to another host, to plain http, or too many redirects. */
    REDIRECT_REFUSED,
    /** DNS: the name does not exist. */
    NXDOMAIN,
    /** DNS: the server failed or answered nonsense. */
    DNS_ERROR;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
