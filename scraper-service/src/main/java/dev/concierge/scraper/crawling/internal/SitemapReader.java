package dev.concierge.scraper.crawling.internal;

import edu.uci.ics.crawler4j.crawler.Page;
import edu.uci.ics.crawler4j.fetcher.PageFetchResult;
import edu.uci.ics.crawler4j.fetcher.PageFetcher;
import edu.uci.ics.crawler4j.url.WebURL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
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
 * Reads the site's sitemaps (those robots.txt names with {@code Sitemap:}, and {@code /sitemap.xml}),
 * following sitemap index files up to {@value #MAX_NESTING} levels deep and {@value #MAX_SITEMAPS}
 * sitemap files in all, so pages nothing links to are crawled too. Fetches go through the crawl's own
 * {@link PageFetcher}: same user agent, politeness, size limit and address guard. A missing or broken
 * sitemap yields nothing.
 */
final class SitemapReader {

    private static final Logger log = LoggerFactory.getLogger(SitemapReader.class);
    static final int MAX_SITEMAPS = 25;
    static final int MAX_NESTING = 3;

    private final PageFetcher fetcher;
    private final int maxBytes;

    SitemapReader(PageFetcher fetcher, int maxBytes) {
        this.fetcher = fetcher;
        this.maxBytes = maxBytes;
    }

    /**
     * Page URLs listed by the sitemaps (and the sitemaps they index) that pass {@code acceptPage}, at most
     * {@code limit}. Only sitemaps passing {@code acceptSitemap} (same site) are fetched.
     */
    List<String> pageUrls(List<String> sitemaps, Predicate<String> acceptSitemap, Predicate<String> acceptPage,
            int limit) {
        Set<String> pages = new LinkedHashSet<>();
        Set<String> queued = new HashSet<>();
        Deque<String[]> queue = new ArrayDeque<>(); // {url, depth}
        for (String sitemap : sitemaps) {
            if (acceptSitemap.test(sitemap) && queued.add(sitemap)) {
                queue.add(new String[] {sitemap, "0"});
            }
        }
        int fetched = 0;
        while (!queue.isEmpty() && fetched < MAX_SITEMAPS && pages.size() < limit) {
            String[] next = queue.poll();
            int depth = Integer.parseInt(next[1]);
            Document doc = fetchXml(next[0]);
            fetched++;
            if (doc == null) {
                continue;
            }
            for (Element loc : doc.select("sitemap > loc")) {
                String child = loc.text().strip();
                if (depth < MAX_NESTING && acceptSitemap.test(child) && queued.add(child)) {
                    queue.add(new String[] {child, String.valueOf(depth + 1)});
                }
            }
            for (Element loc : doc.select("url > loc")) {
                if (pages.size() >= limit) {
                    break;
                }
                String url = loc.text().strip();
                if (acceptPage.test(url)) {
                    pages.add(url);
                }
            }
        }
        log.debug("{} sitemaps list {} pages to seed", fetched, pages.size());
        return List.copyOf(pages);
    }

    private Document fetchXml(String url) {
        String text = fetchText(fetcher, url, maxBytes);
        return text == null ? null : Jsoup.parse(text, url, Parser.xmlParser());
    }

    /** The body of a 200 response at {@code url}, or null (any other status, too large, unreachable). */
    static String fetchText(PageFetcher fetcher, String url, int maxBytes) {
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
            return new String(page.getContentData(), charset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("nothing at {}: {}", url, e.toString());
            return null;
        } finally {
            if (result != null) {
                result.discardContentIfNotConsumed();
            }
        }
    }
}
