package dev.concierge.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {

    @ParameterizedTest
    @CsvSource({
            "https://shop.example, https://shop.example",
            "HTTPS://WWW.Shop.Example/, https://www.shop.example",
            "https://shop.example:443, https://shop.example",
            "http://localhost:3000, http://localhost:3000",
            "http://shop.example:80, http://shop.example"
    })
    void normalisesOriginsAsBrowsersSendThem(String raw, String expected) {
        assertThat(Origins.normalise(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "shop.example", "*", "ftp://shop.example", "https://shop.example/cart",
            "https://shop.example?x=1", "https://user@shop.example", "https://", "https://*.shop.example",
            "https://*", "null", "https://shop.example#top", "//shop.example"})
    void rejectsWhatIsNoOrigin(String raw) {
        assertThat(Origins.normalise(raw)).isNull();
    }
}
