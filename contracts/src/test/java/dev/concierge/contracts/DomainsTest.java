package dev.concierge.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainsTest {

    @ParameterizedTest
    @CsvSource({
            "shop.example, shop.example",
            "Shop.Example, shop.example",
            "https://www.shop.example/, shop.example",
            "http://WWW.SHOP.EXAMPLE:8443/about/us?x=1#top, shop.example",
            "shop.example., shop.example",
            "'  shop.example/  ', shop.example",
            "www.www.shop.example, www.shop.example",
            "bücher.example, xn--bcher-kva.example",
            "127.0.0.1, 127.0.0.1"
    })
    void normalisesEverySpellingToOne(String raw, String expected) {
        assertThat(Domains.normalise(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "https://", "shop..example", "-shop.example", "shop_example.com", "a b.example"})
    void rejectsWhatIsNoHostName(String raw) {
        assertThat(Domains.normalise(raw)).isNull();
    }
}
