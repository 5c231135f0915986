package dev.concierge.scraper.crawling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlRulesTest {

    private static final UrlRules DEFAULTS = UrlRules.of(null, null, true);

    @Test
    void defaultExcludesKeepTheCrawlerOutOfCartsAccountsFeedsAndTraps() {
        for (String url : List.of("https://shop.example/cart/", "https://shop.example/checkout",
                "https://shop.example/my-account/orders/", "https://shop.example/wp-admin/", "https://shop.example/login",
                "https://shop.example/feed/", "https://shop.example/shop/?add-to-cart=12",
                "https://shop.example/shop/?orderby=price", "https://shop.example/shop/page/21/",
                "https://shop.example/shop/?paged=150", "https://shop.example/events/month/2031-02/",
                "https://shop.example/calendar/?month=2031-02", "https://shop.example/ADMIN")) {
            assertThat(DEFAULTS.allows(url)).as(url).isFalse();
        }
        for (String url : List.of("https://shop.example/", "https://shop.example/shop/page/20/",
                "https://shop.example/shop/?paged=3", "https://shop.example/product/cartoon-mug/",
                "https://shop.example/blog/account-of-our-trip", "https://shop.example/about")) {
            assertThat(DEFAULTS.allows(url)).as(url).isTrue();
        }
        assertThat(UrlRules.of(null, null, false).allows("https://shop.example/cart/")).isTrue();
    }

    @Test
    void includeLimitsAndExcludeWinsMatchingPathAndQueryAnywhere() {
        UrlRules rules = UrlRules.of(List.of("^/shop/", "^/$"), List.of("\\?sort=", "/shop/hidden"), false);

        assertThat(rules.allows("https://shop.example/")).isTrue();
        assertThat(rules.allows("https://shop.example/shop/mug")).isTrue();
        assertThat(rules.allows("https://shop.example/blog/")).isFalse();
        assertThat(rules.allows("https://shop.example/shop/mug?sort=asc")).isFalse();
        assertThat(rules.allows("https://shop.example/shop/hidden/x")).isFalse();
        assertThat(rules.allows("https://shop.example/SHOP/Mug")).isTrue();
    }

    @Test
    void explainsAnUnusablePattern() {
        assertThat(UrlRules.problem("(unclosed")).contains("not a valid regular expression");
        assertThat(UrlRules.problem(" ")).isEqualTo("must not be blank");
        assertThat(UrlRules.problem("x".repeat(501))).contains("at most 500");
        assertThat(UrlRules.problem("^/blog/.*\\.html$")).isNull();
    }

    @Test
    void aCatastrophicallyBacktrackingPatternCannotHoldACrawlerThread() {
        UrlRules rules = UrlRules.of(List.of("^/(a+)+$"), null, false);
        // would take minutes to decide without the budget; it is refused at once instead
        assertThat(rules.allows("https://shop.example/" + "a".repeat(40) + "!")).isFalse();
        assertThat(rules.allows("https://shop.example/aaa")).isTrue();
    }

    @Test
    void absurdlyLongUrlsAreNotCrawled() {
        assertThat(DEFAULTS.allows("https://shop.example/p/" + "x".repeat(3_000))).isFalse();
    }
}
