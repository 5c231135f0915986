package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.CrawlListener;
import dev.concierge.scraper.crawling.ExtractedPage;
import dev.concierge.scraper.crawling.FetchedPage;
import dev.concierge.scraper.crawling.PageExtractor;
import dev.concierge.scraper.crawling.SiteScope;
import edu.uci.ics.crawler4j.crawler.Page;
import edu.uci.ics.crawler4j.crawler.WebCrawler;
import edu.uci.ics.crawler4j.parser.HtmlParseData;
import edu.uci.ics.crawler4j.url.WebURL;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawler4j thread of a crawl: decides what to follow, extracts what it fetched, reports failures.
 * crawler4j calls {@link #shouldVisit} for every outgoing link and redirect (not for seeds, which
 * {@link CrawlSession} filters with {@link #isCandidate} itself).
 */
final class ConciergeWebCrawler extends WebCrawler {

    private static final Logger log = LoggerFactory.getLogger(ConciergeWebCrawler.class);

    /** Links to files that are not web pages: not worth a request. */
    private static final Pattern NOT_A_PAGE = Pattern.compile(".*\\.(css|js|mjs|map|json|xml|rss|atom|txt|csv"
            + "|gif|jpe?g|png|webp|avif|svg|ico|bmp|tiff?|mp3|mp4|m4a|wav|ogg|avi|mov|mpe?g|webm|woff2?|ttf|otf|eot"
            + "|zip|gz|tgz|bz2|xz|rar|7z|pdf|docx?|xlsx?|pptx?|odt|exe|dmg|apk|iso)$");

    private final SiteScope scope;
    private final AddressGuard guard;
    private final PageExtractor extractor;
    private final CrawlListener listener;
    private final CrawlTally tally;
    private final int maxPageBytes;

    ConciergeWebCrawler(SiteScope scope, AddressGuard guard, PageExtractor extractor, CrawlListener listener,
            CrawlTally tally, int maxPageBytes) {
        this.scope = scope;
        this.guard = guard;
        this.extractor = extractor;
        this.listener = listener;
        this.tally = tally;
        this.maxPageBytes = maxPageBytes;
    }

    /** Same site, looks like a page, and the host is one we may reach. */
    static boolean isCandidate(String url, SiteScope scope, AddressGuard guard) {
        if (!scope.contains(url)) {
            return false;
        }
        URI uri = URI.create(SiteScope.normalise(url));
        return !NOT_A_PAGE.matcher(uri.getRawPath().toLowerCase(Locale.ROOT)).matches() && guard.allows(uri.getHost());
    }

    @Override
    public boolean shouldVisit(Page referringPage, WebURL url) {
        return isCandidate(url.getURL(), scope, guard);
    }

    @Override
    public void visit(Page page) {
        String url = page.getWebURL().getURL();
        String contentType = page.getContentType() == null ? "" : page.getContentType().toLowerCase(Locale.ROOT);
        if (!(page.getParseData() instanceof HtmlParseData html) || !contentType.contains("html")) {
            log.debug("skipping {}: not HTML ({})", url, contentType);
            return;
        }
        ExtractedPage extracted = extractor.extract(html.getHtml(), url);
        tally.htmlPage();
        listener.onPage(new FetchedPage(extracted.url(), url, extracted.title(), extracted.text(), Instant.now()));
        listener.onDiscovered(getMyController().getFrontier().getNumberOfScheduledPages());
    }

    @Override
    protected void onRedirectedStatusCode(Page page) {
        String target = page.getRedirectedToUrl();
        if (target != null && !scope.contains(target)) {
            tally.problem(page.getWebURL().getURL(), "redirects to another site (" + target + ")");
        }
    }

    @Override
    protected void onUnexpectedStatusCode(String url, int statusCode, String contentType, String description) {
        failure(url, "HTTP " + statusCode + (description == null ? "" : " " + description));
    }

    @Override
    protected void onContentFetchError(WebURL url) {
        failure(url.getURL(), "the response could not be read");
    }

    @Override
    protected void onPageBiggerThanMaxSize(String url, long pageSize) {
        failure(url, "larger than " + maxPageBytes + " bytes (" + pageSize + ")");
    }

    @Override
    protected void onParseError(WebURL url) {
        failure(url.getURL(), "the page could not be parsed");
    }

    @Override
    protected void onUnhandledException(WebURL url, Throwable e) {
        if (url == null) {
            log.warn("crawler error without URL", e);
            return;
        }
        String reason = e instanceof AddressGuard.BlockedHostException ? e.getMessage()
                : e instanceof java.net.UnknownHostException ? "unknown host " + e.getMessage()
                : "could not fetch (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        log.debug("fetching {} failed", url.getURL(), e);
        failure(url.getURL(), reason);
    }

    private void failure(String url, String reason) {
        tally.problem(url, reason);
        String normalised = SiteScope.normalise(url);
        listener.onFailure(normalised != null ? normalised : url, reason);
    }
}
