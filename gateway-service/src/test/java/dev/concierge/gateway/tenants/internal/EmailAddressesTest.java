package dev.concierge.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "help@shop.example, help@shop.example",
            "' Help.Desk+shop@Shop.EXAMPLE ', Help.Desk+shop@shop.example",
            "o'brien@mail.shop.example, o'brien@mail.shop.example",
            "support@www.shop.example, support@www.shop.example"
    })
    void acceptsAddressesNormalisingTheDomain(String raw, String expected) {
        assertThat(EmailAddresses.normalise(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "help", "help@", "@shop.example", "help@shop", "help@@shop.example",
            "he lp@shop.example", ".help@shop.example", "help.@shop.example", "he..lp@shop.example",
            "help@shop..example", "help@-shop.example", "help@shop.example\r\nBcc: x@evil.example",
            "\"quoted\"@shop.example", "help@shop.example/path", "help@shop_example.com", "hélp@shop.example",
            "help@bücher.example"})
    void rejectsWhatIsNoPlainAddress(String raw) {
        assertThat(EmailAddresses.normalise(raw)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 250})
    void rejectsOverlongAddresses(int localLength) {
        assertThat(EmailAddresses.normalise("a".repeat(localLength) + "@shop.example")).isNull();
    }
}
