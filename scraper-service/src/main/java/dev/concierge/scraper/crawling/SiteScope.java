package dev.concierge.scraper.crawling;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The site a crawl stays on: URLs whose host equals the start URL's host, ignoring a {@code www.} prefix
 * (so {@code shop.example} and {@code www.shop.example} are one site), over http or https.
 */
public final class SiteScope {

    private final String hostKey;

    private SiteScope(String hostKey) {
        this.hostKey = hostKey;
    }

    /** The scope of a crawl starting at {@code startUrl}, which must be an absolute http(s) URL. */
    public static SiteScope of(String startUrl) {
        String normalised = normalise(startUrl);
        if (normalised == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + startUrl);
        }
        return new SiteScope(hostKey(URI.create(normalised).getHost()));
    }

    public boolean contains(String url) {
        String normalised = normalise(url);
        return normalised != null && hostKey.equals(hostKey(URI.create(normalised).getHost()));
    }

    /**
     * One spelling per URL: lower-case scheme and host, no default port, no user info, no fragment, an
     * empty path written {@code /}. Null for anything that is not an absolute http(s) URL with a host.
     */
    public static String normalise(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            return null;
        }
        int port = uri.getPort();
        if (port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https")) {
            port = -1;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder out = new StringBuilder(scheme).append("://").append(host);
        if (port >= 0) {
            out.append(':').append(port);
        }
        out.append(path);
        if (uri.getRawQuery() != null) {
            out.append('?').append(uri.getRawQuery());
        }
        return out.toString();
    }

    static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("www.") ? h.substring(4) : h;
    }
}
