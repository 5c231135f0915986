package dev.concierge.chat.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.chat.answering.Answer;
import dev.concierge.chat.retrieval.Passage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProductSummariesTest {

    private static final JsonNode PRODUCTS = JsonMapper.builder().build().readTree("""
            [{"name":"TrackPro Floor Pump","sku":"CS-PU-TRK","price":"44.95","currency":"EUR","stock_status":"instock",
              "stock_quantity":23,"permalink":"https://shop.example/products/trackpro-floor-pump/"},
             {"name":"Pocket Mini Pump","sku":"CS-PU-MINI","price":"22.50","currency":"EUR","stock_status":"instock",
              "stock_quantity":41,"permalink":"https://shop.example/products/pocket-mini-pump/"},
             {"name":"Fold 16 Multi-Tool","sku":"CS-TL-F16","price":"27.50","currency":"EUR","stock_status":"outofstock",
              "permalink":"https://shop.example/products/fold16-multi-tool/"}]""");

    @Test
    void answersOnlyAboutTheProductTheShopperNamed() {
        Answer a = ProductSummaries.answer("Is the TrackPro floor pump in stock?", PRODUCTS);

        assertThat(a.text()).isEqualTo("TrackPro Floor Pump (SKU CS-PU-TRK): EUR 44.95, in stock (23 available).");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("https://shop.example/products/trackpro-floor-pump/");
        assertThat(a.grounded()).isTrue();
    }

    @Test
    void aPluralNamesEveryProductOfThatKind() {
        Answer a = ProductSummaries.answer("Which pumps do you have?", PRODUCTS);

        assertThat(a.sources()).extracting(Passage::url).containsExactly(
                "https://shop.example/products/trackpro-floor-pump/", "https://shop.example/products/pocket-mini-pump/");
    }

    @Test
    void whenNoNameMatchesTheStoresOwnRankingStands() {
        Answer a = ProductSummaries.answer("Anything for repairs on the road?", PRODUCTS);

        assertThat(a.sources()).hasSize(3);
        assertThat(a.text()).startsWith("Here is what I found: TrackPro Floor Pump");
    }
}
