package dev.concierge.scraper.crawling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SiteScopeTest {

    @Test
    void normalisesSchemeHostDefaultPortEmptyPathAndFragment() {
        assertThat(SiteScope.normalise("HTTPS://Shop.Example:443#top")).isEqualTo("https://shop.example/");
        assertThat(SiteScope.normalise("http://shop.example:80/a/b?x=1#frag")).isEqualTo("http://shop.example/a/b?x=1");
        assertThat(SiteScope.normalise("http://user:pw@127.0.0.1:8090/p")).isEqualTo("http://127.0.0.1:8090/p");
        assertThat(SiteScope.normalise("https://shop.example./faq")).isEqualTo("https://shop.example/faq");
    }

    @Test
    void rejectsWhatIsNotAnAbsoluteHttpUrl() {
        assertThat(SiteScope.normalise("ftp://shop.example/")).isNull();
        assertThat(SiteScope.normalise("javascript:alert(1)")).isNull();
        assertThat(SiteScope.normalise("/relative/path")).isNull();
        assertThat(SiteScope.normalise("http://")).isNull();
        assertThat(SiteScope.normalise("not a url")).isNull();
        assertThat(SiteScope.normalise(null)).isNull();
        assertThatThrownBy(() -> SiteScope.of("mailto:shop@example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void staysOnTheStartHostIgnoringWwwAndScheme() {
        SiteScope scope = SiteScope.of("https://shop.example/");

        assertThat(scope.contains("https://shop.example/shipping")).isTrue();
        assertThat(scope.contains("https://WWW.shop.example/about")).isTrue();
        assertThat(scope.contains("http://shop.example/faq")).isTrue();
        assertThat(scope.contains("https://blog.shop.example/")).isFalse();
        assertThat(scope.contains("https://shop.example.evil.com/")).isFalse();
        assertThat(scope.contains("https://other.example/")).isFalse();
        assertThat(scope.contains("mailto:shop@shop.example")).isFalse();
    }

    @Test
    void wwwStartUrlAcceptsTheBareHost() {
        assertThat(SiteScope.of("https://www.shop.example/").contains("https://shop.example/x")).isTrue();
    }

    @Test
    void dropsTrackingParametersAndSortsTheRest() {
        assertThat(SiteScope.normalise("https://shop.example/mug?utm_source=news&b=2&gclid=x&a=1&fbclid=y&ref=home#top"))
                .isEqualTo("https://shop.example/mug?a=1&b=2");
        assertThat(SiteScope.normalise("https://shop.example/mug?utm_campaign=spring&mc_cid=1&mc_eid=2"))
                .isEqualTo("https://shop.example/mug");
        assertThat(SiteScope.normalise("https://shop.example/search?q=mug&color=blue&color=red"))
                .isEqualTo("https://shop.example/search?color=blue&color=red&q=mug");
        assertThat(SiteScope.normalise("https://shop.example/p?reference=1")).isEqualTo("https://shop.example/p?reference=1");
    }
}
