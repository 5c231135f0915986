package dev.concierge.gateway.tenants.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Browser origins as a tenant lists them: {@code scheme://host[:port]}, http or https, nothing else. */
public final class Origins {

    private Origins() {
    }

    /**
     * The origin as a browser sends it ({@code https://shop.example}, lower case, default port dropped), or
     * {@code null} when {@code raw} is not an http(s) origin (has a path, query, user info, wildcard...).
     */
    public static String normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null;
        }
        String path = uri.getRawPath();
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || path != null && !path.isEmpty() && !path.equals("/")) {
            return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
