package dev.concierge.commerce.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concierge.commerce.support.FakeWooCommerce;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ProductMapperTest {

    private final FakeWooCommerce store = new FakeWooCommerce();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void mapsWooCommerceProductsStrippingHtml() {
        ObjectNode p = store.product(93, "Trail Pump", "CS-PUMP-01", "34.50", 12, "instock", "2026-11-01T10:00:00", "Pumps");
        ProductMapper.Result r = ProductMapper.map(p, List.of(), "EUR");
        assertThat(r.rejected()).isFalse();
        ProductRecord m = r.product();
        assertThat(m.price()).isEqualByComparingTo("34.50");
        assertThat(m.shortDescription()).isEqualTo("The Trail Pump & friends.");
        assertThat(m.categories()).containsExactly("Pumps");
        assertThat(m.stockQuantity()).isEqualTo(12);
        assertThat(m.currency()).isEqualTo("EUR");
        assertThat(m.dateModified()).hasToString("2026-11-01T10:00:00Z");
        assertThat(ProductRecord.money(m.price())).isEqualTo("34.50");
    }

    @Test
    void rejectsMissingNameUnparseablePriceAndNegativeStockWithReasons() {
        ObjectNode noName = store.product(1, "", "A", "10.00", 1, "instock", "2026-11-01T10:00:00");
        ObjectNode badPrice = store.product(2, "Bell", "B", "ten euros", 1, "instock", "2026-11-01T10:00:00");
        ObjectNode negative = store.product(3, "Lock", "C", "10.00", -3, "instock", "2026-11-01T10:00:00");

        assertThat(ProductMapper.map(noName, List.of(), "EUR").reasons()).containsExactly("name: missing");
        assertThat(ProductMapper.map(badPrice, List.of(), "EUR").reasons())
                .contains("price: unparseable price 'ten euros'", "regular_price: unparseable price 'ten euros'");
        assertThat(ProductMapper.map(negative, List.of(), "EUR").reasons())
                .containsExactly("stock_quantity: negative stock (-3)");
    }

    @Test
    void toleratesAlternativeFieldNames() {
        JsonNode legacy = store.json.readTree("""
                {"id": 7, "title": "City <em>Helmet</em>", "price": 49.9, "stock": "4", "in_stock": true,
                 "categories": ["Helmets", "Safety"], "link": "https://shop.example/helmet", "updated_at": "2026-11-02T08:00:00Z"}""");
        ProductRecord m = ProductMapper.map(legacy, List.of(), null).product();
        assertThat(m.name()).isEqualTo("City Helmet");
        assertThat(m.price()).isEqualTo(new BigDecimal("49.9"));
        assertThat(ProductRecord.money(m.price())).isEqualTo("49.90");
        assertThat(m.stockQuantity()).isEqualTo(4);
        assertThat(m.stockStatus()).isEqualTo("instock");
        assertThat(m.categories()).containsExactly("Helmets", "Safety");
        assertThat(m.permalink()).isEqualTo("https://shop.example/helmet");
    }

    @Test
    void theContentHashIgnoresOnlyTheModificationDate() {
        ObjectNode a = store.product(93, "Trail Pump", "CS-PUMP-01", "34.50", 12, "instock", "2026-11-01T10:00:00");
        ObjectNode touched = a.deepCopy().put("date_modified_gmt", "2026-11-05T10:00:00");
        ObjectNode repriced = a.deepCopy().put("price", "30.00");
        String hash = ProductMapper.map(a, List.of(), "EUR").product().contentHash();
        assertThat(ProductMapper.map(touched, List.of(), "EUR").product().contentHash()).isEqualTo(hash);
        assertThat(ProductMapper.map(repriced, List.of(), "EUR").product().contentHash()).isNotEqualTo(hash);
    }
}
