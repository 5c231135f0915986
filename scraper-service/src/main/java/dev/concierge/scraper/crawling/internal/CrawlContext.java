package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.CrawlListener;
import dev.concierge.scraper.crawling.KnownPage;
import dev.concierge.scraper.crawling.PageExtractor;
import dev.concierge.scraper.crawling.SiteScope;
import dev.concierge.scraper.crawling.UrlRules;
import java.util.Map;

/** What every crawler thread of one crawl shares. {@code revalidate}: known pages by normalised fetched URL. */
record CrawlContext(SiteScope scope, UrlRules rules, AddressGuard guard, PageExtractor extractor,
        CrawlListener listener, CrawlTally tally, int maxPageBytes, int maxDepth, Map<String, KnownPage> revalidate) {
}
