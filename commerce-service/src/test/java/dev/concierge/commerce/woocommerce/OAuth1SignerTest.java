package dev.concierge.commerce.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuth1SignerTest {

    private static final List<Map.Entry<String, String>> PARAMS = List.of(Map.entry("per_page", "100"),
            Map.entry("page", "2"), Map.entry("modified_after", "2026-11-23T07:00:00"),
            Map.entry("search", "trail pump & co~*"));

    /**
     * Worked by hand from RFC 5849 §3.4 / authentication.md: parameters percent-encoded (RFC 3986, space = %20,
     * '~' kept, '*' encoded), sorted by encoded key, joined, the whole string encoded again; scheme and host lower-cased,
     * the non-default port kept; key = "cs_secret&"; HMAC-SHA256, base64.
     */
    @Test
    void signsAKnownVectorExactly() {
        List<Map.Entry<String, String>> signed = OAuth1Signer.sign("get", "HTTP://Shop.Example:8080/wp-json/wc/v3/products",
                PARAMS, "ck_test", "cs_secret", 1_700_000_000L, "abc123XYZ");

        assertThat(OAuth1Signer.baseString("GET", "http://shop.example:8080/wp-json/wc/v3/products",
                signed.subList(0, signed.size() - 1))).isEqualTo(
                "GET&http%3A%2F%2Fshop.example%3A8080%2Fwp-json%2Fwc%2Fv3%2Fproducts&modified_after%3D2026-11-23T07%253A00%253A00"
                        + "%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dabc123XYZ%26oauth_signature_method%3DHMAC-SHA256"
                        + "%26oauth_timestamp%3D1700000000%26page%3D2%26per_page%3D100%26search%3Dtrail%2520pump%2520%2526%2520co~%252A");
        assertThat(signed.get(signed.size() - 1))
                .isEqualTo(Map.entry("oauth_signature", "T1FjZfHQIlvU8m29M5xa7sHonjyFqy987KYA2juZhDk="));
        assertThat(signed).extracting(Map.Entry::getKey).contains("oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                "oauth_signature_method", "oauth_signature").doesNotContain("oauth_version");
    }

    @Test
    void dropsDefaultPortsFromTheBaseUri() {
        assertThat(OAuth1Signer.baseUri("http://Shop.example:80/wp-json/wc/v3/orders")).isEqualTo("http://shop.example/wp-json/wc/v3/orders");
        assertThat(OAuth1Signer.baseUri("https://shop.example:443/x")).isEqualTo("https://shop.example/x");
    }

    @Test
    void percentEncodesPerRfc3986() {
        assertThat(OAuth1Signer.encode("a b+c*~é/")).isEqualTo("a%20b%2Bc%2A~%C3%A9%2F");
    }
}
