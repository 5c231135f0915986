package dev.concierge.scraper.crawling.internal;

import edu.uci.ics.crawler4j.crawler.Page;
import edu.uci.ics.crawler4j.fetcher.PageFetchResult;
import edu.uci.ics.crawler4j.fetcher.PageFetcher;
import edu.uci.ics.crawler4j.url.WebURL;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code /sitemap.xml} of the start URL's origin (and, for a sitemap index, up to
 * {@value #MAX_CHILD_SITEMAPS} of its sitemaps on the same site), so pages nothing links to are crawled
 * too. Fetches go through the crawl's own {@link PageFetcher}: same user agent, politeness, size limit
 * and address guard. A missing or broken sitemap yields nothing.
 */
final class SitemapReader {

    private static final Logger log = LoggerFactory.getLogger(SitemapReader.class);
    static final int MAX_CHILD_SITEMAPS = 10;

    private final PageFetcher fetcher;
    private final int maxBytes;

    SitemapReader(PageFetcher fetcher, int maxBytes) {
        this.fetcher = fetcher;
        this.maxBytes = maxBytes;
    }

    /** Page URLs listed by the site's sitemap that pass {@code accept}, at most {@code limit}. */
    List<String> pageUrls(String startUrl, Predicate<String> accept, int limit) {
        URI start = URI.create(startUrl);
        String sitemap = start.getScheme() + "://" + start.getRawAuthority() + "/sitemap.xml";
        Set<String> pages = new LinkedHashSet<>();
        Document doc = fetch(sitemap);
        if (doc == null) {
            return List.of();
        }
        List<String> children = new ArrayList<>();
        for (Element loc : doc.select("sitemap > loc")) {
            String child = loc.text().strip();
            if (children.size() < MAX_CHILD_SITEMAPS && sameOrigin(start, child)) {
                children.add(child);
            }
        }
        collect(doc, accept, limit, pages);
        for (String child : children) {
            if (pages.size() >= limit) {
                break;
            }
            Document childDoc = fetch(child);
            if (childDoc != null) {
                collect(childDoc, accept, limit, pages);
            }
        }
        log.debug("sitemap of {} lists {} pages to seed", startUrl, pages.size());
        return List.copyOf(pages);
    }

    private static void collect(Document doc, Predicate<String> accept, int limit, Set<String> into) {
        for (Element loc : doc.select("url > loc")) {
            if (into.size() >= limit) {
                return;
            }
            String url = loc.text().strip();
            if (accept.test(url)) {
                into.add(url);
            }
        }
    }

    private static boolean sameOrigin(URI start, String url) {
        try {
            URI u = URI.create(url);
            return start.getScheme().equalsIgnoreCase(u.getScheme()) && start.getRawAuthority().equalsIgnoreCase(u.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Document fetch(String url) {
        WebURL webUrl = new WebURL();
        webUrl.setURL(url);
        PageFetchResult result = null;
        try {
            result = fetcher.fetchPage(webUrl);
            if (result.getStatusCode() != 200) {
                return null;
            }
            Page page = new Page(webUrl);
            if (!result.fetchContent(page, maxBytes) || page.getContentData() == null) {
                return null;
            }
            Charset charset = page.getContentCharset() != null && Charset.isSupported(page.getContentCharset())
                    ? Charset.forName(page.getContentCharset()) : StandardCharsets.UTF_8;
            return Jsoup.parse(new String(page.getContentData(), charset), url, Parser.xmlParser());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("no sitemap at {}: {}", url, e.toString());
            return null;
        } finally {
            if (result != null) {
                result.discardContentIfNotConsumed();
            }
        }
    }
}
