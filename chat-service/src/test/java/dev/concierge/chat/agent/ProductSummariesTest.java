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

    // the demo store's Arc Commuter Helmet as check_stock answers it (commerce-service, live, per variation)
    private static final JsonNode HELMET = JsonMapper.builder().build().readTree("""
            [{"id":108,"name":"Arc Commuter Helmet","sku":"CS-HM-ARC","type":"variable","price":"59.00","currency":"EUR",
              "stock_status":"instock","stock_quantity":null,"permalink":"https://shop.example/products/arc-commuter-helmet/"}]""");
    private static final JsonNode HELMET_STOCK = JsonMapper.builder().build().readTree("""
            {"id":108,"name":"Arc Commuter Helmet","sku":"CS-HM-ARC","stock_status":"instock","stock_quantity":null,
             "source":"live","variations":[
              {"id":221,"sku":"CS-HM-ARC-S-BLK","attributes":[{"name":"Size","option":"S"},{"name":"Colour","option":"Matte Black"}],
               "stock_status":"instock","stock_quantity":5},
              {"id":222,"sku":"CS-HM-ARC-M-BLK","attributes":[{"name":"Size","option":"M"},{"name":"Colour","option":"Matte Black"}],
               "stock_status":"instock","stock_quantity":9},
              {"id":223,"sku":"CS-HM-ARC-L-BLK","attributes":[{"name":"Size","option":"L"},{"name":"Colour","option":"Matte Black"}],
               "stock_status":"outofstock","stock_quantity":0},
              {"id":224,"sku":"CS-HM-ARC-M-SND","attributes":[{"name":"Size","option":"M"},{"name":"Colour","option":"Sand"}],
               "stock_status":"outofstock","stock_quantity":0},
              {"id":225,"sku":"CS-HM-ARC-L-SND","attributes":[{"name":"Size","option":"L"},{"name":"Colour","option":"Sand"}],
               "stock_status":"onbackorder","stock_quantity":0}]}""");

    private static Answer helmet(String question) {
        return ProductSummaries.answer(question, HELMET, java.util.Map.of(108L, HELMET_STOCK));
    }

    @Test
    void aQuestionNamingASizeGetsTheStockOfThatSize() {
        Answer a = helmet("Is the Arc helmet in size M in stock?");

        assertThat(a.text()).isEqualTo("Arc Commuter Helmet (SKU CS-HM-ARC): EUR 59.00, Size M / Colour Matte Black: "
                + "in stock (9 available); Size M / Colour Sand: out of stock.");
        assertThat(a.sources()).extracting(Passage::url).containsExactly("https://shop.example/products/arc-commuter-helmet/");
    }

    @Test
    void sizeAndColourTogetherNameOneVariation() {
        assertThat(helmet("Do you have the Arc helmet in sand, size L?").text())
                .endsWith("EUR 59.00, Size L / Colour Sand: available on backorder.");
        assertThat(helmet("Is the Arc helmet in black available in M?").text())
                .endsWith("EUR 59.00, Size M / Colour Matte Black: in stock (9 available).");
        assertThat(helmet("Is the arc helmet in medium in stock?").text()).contains("Size M / Colour Matte Black: in stock (9 available)")
                .doesNotContain("Size S");
    }

    @Test
    void withoutASizeTheVariationsInStockAreListed() {
        Answer a = helmet("I'm looking for the Arc helmet, is it in stock?"); // "I'm" names no size M

        assertThat(a.text()).isEqualTo("Arc Commuter Helmet (SKU CS-HM-ARC): EUR 59.00, in stock in "
                + "Size S / Colour Matte Black (5 available), Size M / Colour Matte Black (9 available); "
                + "available on backorder in Size L / Colour Sand.");
    }

    @Test
    void aVariableProductWithNothingInStockSaysSo() {
        JsonNode none = JsonMapper.builder().build().readTree(HELMET_STOCK.toString()
                .replace("\"instock\"", "\"outofstock\"").replace("\"onbackorder\"", "\"outofstock\""));
        Answer a = ProductSummaries.answer("Is the Arc helmet in stock?", HELMET, java.util.Map.of(108L, none));

        assertThat(a.text()).endsWith("EUR 59.00, none of its variations is in stock right now.");
    }
}
