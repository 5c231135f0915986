package dev.concierge.scraper.crawling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageExtractorTest {

    private static final String SHIPPING = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Shipping policy | Tiny Shop</title>
              <link rel="canonical" href="https://www.shop.example/shipping/#top">
              <style>body { font-family: sans-serif }</style>
              <script>window.dataLayer = [{"event": "page_view"}];</script>
            </head>
            <body class="page cookie-consent-open">
              <div id="cookie-banner" class="banner">We use cookies to improve your experience. <button>Accept all</button></div>
              <header class="site-header">
                <a href="/">Tiny Shop</a>
                <nav><ul><li><a href="/">Home</a></li><li><a href="/shipping/">Shipping</a></li></ul></nav>
              </header>
              <aside>Newsletter: 10% off your first order</aside>
              <main>
                <h1>Shipping
                    policy</h1>
                <p>Orders over <strong>60&nbsp;EUR</strong> ship free
                   within the Netherlands.</p>
                <h2>Delivery times</h2>
                <ul>
                  <li>Netherlands: 1–2 working days</li>
                  <li>Belgium and Germany: 2–4 working days</li>
                </ul>
                <table><tr><th>Zone</th><th>Price</th></tr><tr><td>EU</td><td>9.95 EUR</td></tr></table>
                <form><input name="q"><button>Search</button></form>
                <div class="consent-modal">Manage your consent preferences</div>
                <script>trackShipping();</script>
              </main>
              <footer>© 2026 Tiny Shop · <a href="/privacy/">Privacy</a></footer>
            </body>
            </html>
            """;

    private final PageExtractor extractor = new PageExtractor();

    @Test
    void keepsMainContentWithHeadingsAndListItemsOnTheirOwnLines() {
        ExtractedPage page = extractor.extract(SHIPPING, "https://shop.example/shipping/");

        assertThat(page.text()).isEqualTo("""
                # Shipping policy
                Orders over 60 EUR ship free within the Netherlands.
                ## Delivery times
                - Netherlands: 1–2 working days
                - Belgium and Germany: 2–4 working days
                Zone Price
                EU 9.95 EUR""");
    }

    @Test
    void rendersDefinitionListsAsTermColonValue() {
        String html = "<html><body><main><h1>Pump</h1><dl><dt>Price</dt><dd>€44.95</dd><dt>SKU</dt><dd>CS-PU-TRK</dd></dl></main></body></html>";

        assertThat(extractor.extract(html, "https://shop.example/pump/").text()).isEqualTo("# Pump\nPrice: €44.95\nSKU: CS-PU-TRK");
    }

    @Test
    void dropsNavigationChromeScriptsAndCookieBanners() {
        String text = extractor.extract(SHIPPING, "https://shop.example/shipping/").text();

        assertThat(text).doesNotContain("cookies", "Accept all", "consent", "Home", "Newsletter", "Privacy",
                "dataLayer", "trackShipping", "font-family", "Search");
    }

    @Test
    void takesTitleFromTitleElementAndCanonicalUrlFromSameSiteLinkWithoutFragment() {
        ExtractedPage page = extractor.extract(SHIPPING, "https://shop.example/shipping/?utm_source=x");

        assertThat(page.title()).isEqualTo("Shipping policy | Tiny Shop");
        assertThat(page.url()).isEqualTo("https://www.shop.example/shipping/");
    }

    @Test
    void ignoresCanonicalLinkToAnotherSite() {
        String html = "<html><head><title>T</title><link rel=canonical href=\"https://evil.example/x\"></head>"
                + "<body><p>Hi</p></body></html>";

        assertThat(extractor.extract(html, "https://shop.example/a#frag").url()).isEqualTo("https://shop.example/a");
    }

    @Test
    void fallsBackToFirstHeadingForTitleAndToBodyWithoutMain() {
        String html = """
                <html><body>
                  <nav>Menu</nav>
                  <div><h1>Returns</h1><p>Return within <em>30 days</em>.</p><br>Keep the receipt.</div>
                </body></html>
                """;

        ExtractedPage page = extractor.extract(html, "http://127.0.0.1:8090/returns");

        assertThat(page.title()).isEqualTo("Returns");
        assertThat(page.text()).isEqualTo("# Returns\nReturn within 30 days.\nKeep the receipt.");
    }

    @Test
    void keepsAnArticlesOwnHeader() {
        String html = """
                <html><body><header>Site</header>
                  <article><header><h1>Care guide</h1></header><p>Wash cold.</p><footer>Share</footer></article>
                </body></html>
                """;

        assertThat(extractor.extract(html, "https://shop.example/care").text()).isEqualTo("# Care guide\nWash cold.\nShare");
    }

    @Test
    void pageWithoutTextYieldsEmptyText() {
        ExtractedPage page = extractor.extract("<html><body><nav>Only a menu</nav><script>x()</script></body></html>",
                "https://shop.example/empty");

        assertThat(page.text()).isEmpty();
        assertThat(page.title()).isEmpty();
    }

    @Test
    void keepsJsonLdProductDataDescriptionAndLanguageAsFields() {
        String html = """
                <html lang="en-GB"><head><title>Pump</title>
                <meta name="description" content="Workshop-grade   track pump.">
                <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
                  {"@type":"BreadcrumbList"},
                  {"@type":["Product"],"name":"TrackPro Floor Pump","sku":"CS-PU-TRK",
                   "offers":[{"@type":"Offer","price":"44.95","priceCurrency":"EUR","availability":"https://schema.org/InStock"}]}]}
                </script>
                <script type="application/ld+json">{ not json</script>
                </head><body><main><h1>Pump</h1><p>Pumps tyres.</p></main></body></html>""";

        ExtractedPage page = extractor.extract(html, "https://shop.example/pump/");

        assertThat(page.products()).containsExactly(new dev.concierge.contracts.PageScraped.Product(
                "TrackPro Floor Pump", "CS-PU-TRK", "44.95", "EUR", "InStock", null));
        assertThat(page.description()).isEqualTo("Workshop-grade track pump.");
        assertThat(page.language()).isEqualTo("en");
        assertThat(page.text()).isEqualTo("# Pump\nPumps tyres.").doesNotContain("schema.org");
    }

    @Test
    void aPageWithoutJsonLdOrLanguageHasNone() {
        ExtractedPage page = extractor.extract("<html><body><p>Hi there</p></body></html>", "https://shop.example/");
        assertThat(page.products()).isEmpty();
        assertThat(page.language()).isNull();
        assertThat(page.description()).isNull();
    }

    @Test
    void theLanguageFallsBackToContentLanguageThenOgLocale() {
        assertThat(extractor.extract("<html><head><meta http-equiv=\"Content-Language\" content=\"de-CH, en\"></head>"
                + "<body><p>Grüezi</p></body></html>", "https://shop.example/").language()).isEqualTo("de");
        assertThat(extractor.extract("<html><head><meta property=\"og:locale\" content=\"nl_NL\"></head>"
                + "<body><p>Hallo</p></body></html>", "https://shop.example/").language()).isEqualTo("nl");
        assertThat(extractor.extract("<html lang=\"fr-CA\"><head><meta property=\"og:locale\" content=\"en_US\"></head>"
                + "<body><p>Bonjour</p></body></html>", "https://shop.example/").language()).isEqualTo("fr");
    }
}
