package dev.concierge.scraper.crawling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RobotsHintsTest {

    @Test
    void readsOurOwnCrawlDelayBeforeTheWildcardsAndEverySitemap() {
        RobotsHints hints = RobotsHints.parse("""
                # shop robots
                Sitemap: https://shop.example/sitemap_index.xml
                User-agent: *
                Crawl-delay: 2
                Disallow: /cart/

                User-agent: OtherBot
                User-agent: ConciergeBot
                Crawl-delay: 5.5
                Sitemap: https://shop.example/products.xml
                """, "ConciergeBot");

        assertThat(hints.crawlDelay()).isEqualTo(Duration.ofMillis(5500));
        assertThat(hints.sitemaps()).containsExactly("https://shop.example/sitemap_index.xml",
                "https://shop.example/products.xml");
    }

    @Test
    void fallsBackToTheWildcardGroupAndIgnoresNonsense() {
        assertThat(RobotsHints.parse("User-agent: *\nCrawl-delay: 3\n", "ConciergeBot").crawlDelay())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(RobotsHints.parse("User-agent: *\nCrawl-delay: soon\n", "ConciergeBot").crawlDelay()).isNull();
        assertThat(RobotsHints.parse("User-agent: OtherBot\nCrawl-delay: 9\n", "ConciergeBot").crawlDelay()).isNull();
        assertThat(RobotsHints.parse(null, "ConciergeBot")).isEqualTo(RobotsHints.NONE);
    }

    @Test
    void politenessIsTheLargerDelayCappedAtThirtySeconds() {
        assertThat(CrawlSession.politenessDelay(1000, null)).isEqualTo(1000);
        assertThat(CrawlSession.politenessDelay(1000, Duration.ofMillis(200))).isEqualTo(1000);
        assertThat(CrawlSession.politenessDelay(1000, Duration.ofSeconds(4))).isEqualTo(4000);
        assertThat(CrawlSession.politenessDelay(1000, Duration.ofHours(1))).isEqualTo(30_000);
    }
}
