package dev.concierge.chat.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

class PiiTest {

    @ParameterizedTest
    @ValueSource(strings = {"jan.jansen@example.com", "j+shop@mail.example.co.uk", "Émilie_99@exämple.fr", "A.B-C@sub-domain.example.org"})
    void redactsEmails(String email) {
        assertThat(Pii.redact("My email is " + email + ", thanks")).isEqualTo("My email is [email], thanks");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "+31 6 12345678", "+31612345678", "+31 (0)20 123 4567", "+44 20 7946 0958", "+1 (555) 123-4567",
            "0031 6 1234 5678", "+49 151 12345678", "+33 6 12 34 56 78",
            "06-12345678", "06 1234 5678", "0612345678", "020-1234567", "020 123 4567", "(030) 1234567",
            "030/12345678", "0151 12345678", "07700 900123", "020 7946 0958",
            "(555) 123-4567", "555-123-4567", "555.123.4567", "1-800-555-0199", "+31-6-1234-5678"})
    void redactsPhoneNumbersInInternationalAndNationalFormats(String phone) {
        assertThat(Pii.redact("Call me on " + phone + " after 5pm.")).isEqualTo("Call me on [phone] after 5pm.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "my phone number is 5551234567|my phone number is [phone]",
            "Tel: 612345678|Tel: [phone]",
            "mijn mobiel: 612 345 678|mijn mobiel: [phone]",
            "Meine Handynummer ist 1511234567.|Meine Handynummer ist [phone]."})
    void aNumberAfterAPhoneWordIsAPhoneNumber(String text, String redacted) {
        assertThat(Pii.redact(text)).isEqualTo(redacted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444",
            "3782 822463 10005", "6011111111111117", "2223003122003222"})
    void redactsCardNumbersThatPassLuhn(String card) {
        assertThat(Pii.redact("Card " + card + " exp 12/27")).isEqualTo("Card [card] exp 12/27");
    }

    @Test
    void cardNumberFollowedByOtherDigitsIsStillFound() {
        assertThat(Pii.redact("4111 1111 1111 1111 12 27")).isEqualTo("[card] 12 27");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1112", "1234 5678 9012 3456", "order 4111111111111111", "EAN 4006381333931"})
    void leavesNumbersThatAreNotCards(String text) {
        assertThat(Pii.redact(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"})
    void redactsIbansThatPassTheirCheck(String iban) {
        assertThat(Pii.redact("Refund to " + iban + " please")).isEqualTo("Refund to [iban] please");
    }

    @Test
    void anIbanWithAWrongCheckIsNotRedactedAsOne() {
        assertThat(Pii.redact("NL92ABNA0417164300")).isEqualTo("NL92ABNA0417164300");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Ship it to 221B Baker Street please|Ship it to [address] please",
            "I live at 12 baker street.|I live at [address].",
            "350 5th Ave, Apt 4, New York, NY 10118 is my address|[address] is my address",
            "Deliver to 10 Downing St, London SW1A 2AA thanks|Deliver to [address] thanks",
            "Send it to Hoofdstraat 12, 3511 AB Utrecht.|Send it to [address].",
            "adres: kerkweg 5a|adres: [address]",
            "Keizersgracht 123-2 in Amsterdam|[address] in Amsterdam",
            "Lieferung an Berliner Straße 10a, 10115 Berlin bitte|Lieferung an [address] bitte",
            "Musterstr. 5, D-01067 Dresden|[address]",
            "10 rue de la Paix, 75002 Paris|[address]",
            "my address is 742 Evergreen Terrace\\nSpringfield, OR 97403|my address is [address]",
            "Postbus 1234, 3500 AB Utrecht|[address]",
            "postcode 3511 AB Utrecht|postcode [address]",
            "it's in London SW1A 1AA|it's in London [address]"})
    void redactsStreetAddressesAndPostcodesWithTheirCity(String text, String redacted) {
        assertThat(Pii.redact(text.replace("\\n", "\n"))).isEqualTo(redacted);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Is the CS-PUMP-01 in stock?", "Where is my order #1234?", "order 0612345 was late", "It costs €1,299.00",
            "It costs 1.299,00 EUR or $49.99", "Delivered on 2024-03-15", "Delivered on 15.03.2024 at 10:30",
            "on 01-02-2024 10:30 it broke", "between 12/03/2024 and 14/03/2024", "open 09:00-17:30",
            "returns within 30 days", "Do you ship 2 bikes to Belgium?", "the 2024 model", "size 56 cm, 11 bar",
            "I want 3 tubes for my road bike", "mijn pakket is onderweg 3 dagen", "de fiets is weg 2 weken",
            "Order number 100234567 please", "invoice 0123456789", "SKU 5901234123457", "there is 1 way to do it",
            "Shimano 105 R7000 groupset", "Trek Domane SL 6 2023", "we are open 7 days a week",
            "tracking 1Z999AA10123456784", "What about 10 pieces?"})
    void leavesOrdinaryShopTalkAlone(String text) {
        assertThat(Pii.redact(text)).isEqualTo(text);
    }

    @Test
    void redactsSeveralKindsInOneMessage() {
        assertThat(Pii.redact("I'm jan@example.com, +31 6 12345678, Hoofdstraat 12, 3511 AB Utrecht; card "
                + "4111 1111 1111 1111. Order #1234 for the CS-PUMP-01 (€49.95) on 2024-03-15."))
                .isEqualTo("I'm [email], [phone], [address]; card [card]. Order #1234 for the CS-PUMP-01 (€49.95) on 2024-03-15.");
    }

    @Test
    void keepsWhatTheStorePublishedItself() {
        String page = "Questions? Mail service@cedar-spoke.example or call 030 123 4567.";
        String answer = "You can mail service@cedar-spoke.example or call 030 123 4567; we will reply to jan@example.com.";
        assertThat(Pii.redact(answer, List.of(page)))
                .isEqualTo("You can mail service@cedar-spoke.example or call 030 123 4567; we will reply to [email].");
        assertThat(Pii.redact(answer)).isEqualTo("You can mail [email] or call [phone]; we will reply to [email].");
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertThat(Pii.redact(null)).isNull();
        assertThat(Pii.redact("")).isEmpty();
    }

    @Test
    void describesAFailureWithoutTheQuestionItCarried() {
        var e = WebClientResponseException.create(500, "Internal Server Error", new HttpHeaders(), new byte[0], null);
        String described = Pii.describe(new IOException(
                "GET http://127.0.0.1:8082/api/search?q=mail%20jan%40example.com&limit=6 failed for jan@example.com"));
        assertThat(described).startsWith("java.io.IOException: GET http://127.0.0.1:8082/api/search?…")
                .doesNotContain("jan").doesNotContain("limit");
        assertThat(Pii.describe(e)).contains("500");
    }

    @Test
    void longAdversarialInputsFinish() {
        String digits = "0" + "1".repeat(3_999);
        String plus = "+1 ".repeat(1_333);
        String words = "Aaaa ".repeat(800) + "straat";
        String mixed = "06 12 ".repeat(666);
        for (String text : List.of(digits, plus, words, mixed, "a@".repeat(2_000), "1 a ".repeat(1_000))) {
            assertThat(Pii.redact(text)).isNotNull();
        }
    }
}
