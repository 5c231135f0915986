package dev.concierge.commerce.woocommerce;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a "one-legged" signing as WooCommerce expects over plain http (authentication.md, RFC 5849 §3.4):
 * HMAC-SHA256 over {@code METHOD&enc(base URI)&enc(sorted, encoded parameters)} with the key
 * {@code enc(consumer_secret)&} (no token secret). The body is not signed.
 */
public final class OAuth1Signer {

    public static final String METHOD = "HMAC-SHA256";

    private OAuth1Signer() {
    }

    /**
     * The query parameters to send: {@code params} plus {@code oauth_consumer_key}, {@code oauth_nonce},
     * {@code oauth_signature_method}, {@code oauth_timestamp} and {@code oauth_signature}.
     */
    public static List<Map.Entry<String, String>> sign(String method, String baseUrl, List<Map.Entry<String, String>> params,
                                                        String consumerKey, String consumerSecret, long timestamp, String nonce) {
        List<Map.Entry<String, String>> all = new ArrayList<>(params);
        all.add(Map.entry("oauth_consumer_key", consumerKey));
        all.add(Map.entry("oauth_nonce", nonce));
        all.add(Map.entry("oauth_signature_method", METHOD));
        all.add(Map.entry("oauth_timestamp", Long.toString(timestamp)));
        String signature = signature(baseString(method, baseUrl, all), consumerSecret);
        all.add(Map.entry("oauth_signature", signature));
        return all;
    }

    /** RFC 5849 §3.4.1: the signature base string. */
    public static String baseString(String method, String baseUrl, List<Map.Entry<String, String>> params) {
        String normalized = params.stream()
                .map(e -> Map.entry(encode(e.getKey()), encode(e.getValue())))
                .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(baseUrl)) + "&" + encode(normalized);
    }

    /** RFC 5849 §3.4.2: HMAC-SHA256 keyed with {@code enc(secret)&}, base64. */
    public static String signature(String baseString, String consumerSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((encode(consumerSecret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query or fragment. */
    static String baseUri(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + uri.getRawPath();
    }

    /** RFC 3986 percent-encoding: everything but {@code A-Z a-z 0-9 - . _ ~}, UTF-8, upper-case hex. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
