package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.crawling.KnownPage;
import dev.concierge.scraper.crawling.SiteScope;
import edu.uci.ics.crawler4j.crawler.CrawlConfig;
import edu.uci.ics.crawler4j.crawler.exceptions.PageBiggerThanMaxSizeException;
import edu.uci.ics.crawler4j.fetcher.PageFetchResult;
import edu.uci.ics.crawler4j.fetcher.PageFetcher;
import edu.uci.ics.crawler4j.url.WebURL;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.http.Header;
import org.apache.http.client.methods.HttpUriRequest;

/**
 * crawler4j's fetcher, plus: a request for a known, indexed page carries {@code If-None-Match} /
 * {@code If-Modified-Since} from what it was last served with, so an unchanged page costs a 304; and a
 * successful response that is not HTML is reported as skipped (crawler4j drops binary content silently).
 */
final class ConditionalPageFetcher extends PageFetcher {

    private final Map<String, KnownPage> revalidate;
    private volatile BiConsumer<String, String> skipped = (url, reason) -> { };

    /** @param revalidate known pages to revalidate, by normalised fetched URL */
    ConditionalPageFetcher(CrawlConfig config, Map<String, KnownPage> revalidate) {
        super(config);
        this.revalidate = revalidate;
    }

    /** Where to report skipped responses from now on (set once robots.txt and sitemaps are read). */
    void onSkipped(BiConsumer<String, String> skipped) {
        this.skipped = skipped;
    }

    @Override
    protected HttpUriRequest newHttpUriRequest(String url) {
        HttpUriRequest request = super.newHttpUriRequest(url);
        String normalised = SiteScope.normalise(url);
        KnownPage known = normalised == null ? null : revalidate.get(normalised);
        if (known != null) {
            if (known.etag() != null) {
                request.addHeader("If-None-Match", known.etag());
            }
            if (known.lastModified() != null) {
                request.addHeader("If-Modified-Since", known.lastModified());
            }
        }
        return request;
    }

    @Override
    public PageFetchResult fetchPage(WebURL webUrl)
            throws InterruptedException, IOException, PageBiggerThanMaxSizeException {
        PageFetchResult result = super.fetchPage(webUrl);
        int status = result.getStatusCode();
        if (status >= 200 && status < 300 && result.getEntity() != null && !isRobotsTxt(webUrl.getURL())) {
            Header type = result.getEntity().getContentType();
            String contentType = type == null ? "" : type.getValue().toLowerCase(Locale.ROOT);
            if (!contentType.isEmpty() && !contentType.contains("html")) {
                String normalised = SiteScope.normalise(webUrl.getURL());
                skipped.accept(normalised != null ? normalised : webUrl.getURL(),
                        "not HTML (" + contentType.split(";")[0].strip() + ")");
            }
        }
        return result;
    }

    private static boolean isRobotsTxt(String url) {
        return url.toLowerCase(Locale.ROOT).endsWith("/robots.txt");
    }
}
