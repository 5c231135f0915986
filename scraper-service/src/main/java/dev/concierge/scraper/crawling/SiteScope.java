package dev.concierge.scraper.crawling;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** Query parameters that only track where a visitor came from; dropped so one page has one URL. */
    static final Set<String> TRACKING_PARAMS = Set.of("gclid", "fbclid", "mc_cid", "mc_eid", "ref");

    /**
     * One spelling per URL, used for de-duplication: lower-case scheme and host, no default port, no user
     * info, no fragment, an empty path written {@code /}, no tracking parameters ({@code utm_*},
     * {@code gclid}, {@code fbclid}, {@code mc_cid}, {@code mc_eid}, {@code ref}) and the remaining query
     * parameters sorted (stable for equal names). Null for anything that is not an absolute http(s) URL
     * with a host.
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
        String query = query(uri.getRawQuery());
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    private static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!name.startsWith("utm_") && !TRACKING_PARAMS.contains(name)) {
                kept.add(param);
            }
        }
        kept.sort((a, b) -> paramName(a).compareTo(paramName(b)));
        return String.join("&", kept);
    }

    private static String paramName(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    /** The path and query of a normalised URL ({@code /a/b?x=1}), what URL rules are matched against. */
    public static String pathAndQuery(String normalisedUrl) {
        URI uri = URI.create(normalisedUrl);
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("www.") ? h.substring(4) : h;
    }
}
