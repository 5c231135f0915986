package dev.concierge.gateway.auth.internal;

import java.util.Locale;

import org.springframework.http.HttpHeaders;

import dev.concierge.gateway.auth.EdgeHeaders;

/**
 * What a request presents to prove who it is: a bearer token ({@code Authorization: Bearer ...}: the admin key or
 * a tenant's API key) and/or a widget key ({@code X-Widget-Key}). Blank values count as absent.
 */
public record Credentials(String bearer, String widgetKey) {

    private static final String BEARER = "bearer ";

    public static Credentials from(HttpHeaders headers) {
        return new Credentials(bearerToken(headers.getFirst(HttpHeaders.AUTHORIZATION)),
                blankToNull(headers.getFirst(EdgeHeaders.WIDGET_KEY)));
    }

    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        return blankToNull(authorization.substring(BEARER.length()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "Credentials[bearer=" + (bearer == null ? "none" : "***")
                + ", widgetKey=" + (widgetKey == null ? "none" : "***") + "]";
    }
}
