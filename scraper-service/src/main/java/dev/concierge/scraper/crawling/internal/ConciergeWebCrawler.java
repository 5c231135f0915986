package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.ExtractedPage;
import dev.concierge.scraper.crawling.FetchedPage;
import dev.concierge.scraper.crawling.KnownPage;
import dev.concierge.scraper.crawling.SiteScope;
import dev.concierge.scraper.crawling.UrlRules;
import edu.uci.ics.crawler4j.crawler.Page;
import edu.uci.ics.crawler4j.crawler.WebCrawler;
import edu.uci.ics.crawler4j.parser.HtmlParseData;
import edu.uci.ics.crawler4j.url.WebURL;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.http.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawler4j thread of a crawl: decides what to follow, extracts what it fetched, reports failures.
 * crawler4j calls {@link #shouldVisit} for every outgoing link and redirect (not for seeds, which
 * {@link CrawlSession} filters with {@link #isCandidate} itself). A 304 answer to a revalidated page
 * reports it unchanged and follows the links stored with it, as if it had been fetched.
 */
final class ConciergeWebCrawler extends WebCrawler {

    private static final Logger log = LoggerFactory.getLogger(ConciergeWebCrawler.class);
    static final int MAX_LINKS_PER_PAGE = 2000;

    /** Links to files that are not web pages: not worth a request. */
    private static final Pattern NOT_A_PAGE = Pattern.compile(".*\\.(css|js|mjs|map|json|xml|rss|atom|txt|csv"
            + "|gif|jpe?g|png|webp|avif|svg|ico|bmp|tiff?|mp3|mp4|m4a|wav|ogg|avi|mov|mpe?g|webm|woff2?|ttf|otf|eot"
            + "|zip|gz|tgz|bz2|xz|rar|7z|pdf|docx?|xlsx?|pptx?|odt|exe|dmg|apk|iso)$");

    private final CrawlContext ctx;

    ConciergeWebCrawler(CrawlContext ctx) {
        this.ctx = ctx;
    }

    /** Same site, looks like a page, allowed by the URL rules, and the host is one we may reach. */
    static boolean isCandidate(String url, SiteScope scope, UrlRules rules, AddressGuard guard) {
        if (!scope.contains(url)) {
            return false;
        }
        String normalised = SiteScope.normalise(url);
        URI uri = URI.create(normalised);
        return looksLikePage(normalised) && rules.allows(normalised) && guard.allows(uri.getHost());
    }

    static boolean looksLikePage(String normalisedUrl) {
        return !NOT_A_PAGE.matcher(URI.create(normalisedUrl).getRawPath().toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public boolean shouldVisit(Page referringPage, WebURL url) {
        if (ctx.listener().isCancelled()) {
            return false;
        }
        String normalised = SiteScope.normalise(url.getURL());
        if (normalised == null || !isCandidate(normalised, ctx.scope(), ctx.rules(), ctx.guard())) {
            return false;
        }
        ctx.tally().reached(normalised); // linked, even if too deep to follow: not unlinked
        if (url.getDepth() > ctx.maxDepth()) {
            return false;
        }
        if (!normalised.equals(url.getURL())) {
            if (getMyController().getDocIdServer().getDocId(normalised) > 0) {
                return false; // the same page under another spelling (tracking parameters, query order)
            }
            url.setURL(normalised);
        }
        return true;
    }

    @Override
    public void visit(Page page) {
        if (ctx.listener().isCancelled()) {
            return;
        }
        String url = normalisedOrRaw(page.getWebURL().getURL());
        ctx.tally().reached(url);
        if (page.isTruncated()) {
            ctx.tally().incomplete("a page was larger than the size limit");
            ctx.listener().onSkipped(url, "larger than " + ctx.maxPageBytes() + " bytes");
            return;
        }
        String contentType = page.getContentType() == null ? "" : page.getContentType().toLowerCase(Locale.ROOT);
        if (!(page.getParseData() instanceof HtmlParseData html) || !contentType.contains("html")) {
            log.debug("skipping {}: not HTML ({})", url, contentType); // reported by the fetcher
            return;
        }
        ExtractedPage extracted = html instanceof JsoupHtmlParser.ParsedHtml parsed
                ? ctx.extractor().extract(parsed.takeDocument(), url)
                : ctx.extractor().extract(html.getHtml(), url);
        ctx.tally().reached(extracted.url());
        ctx.tally().htmlPage();
        Set<String> links = new LinkedHashSet<>();
        for (WebURL link : html.getOutgoingUrls()) {
            String normalised = SiteScope.normalise(link.getURL());
            if (normalised != null && links.size() < MAX_LINKS_PER_PAGE && ctx.scope().contains(normalised)
                    && looksLikePage(normalised)) {
                links.add(normalised);
            }
        }
        try {
            ctx.listener().onPage(new FetchedPage(extracted.url(), url, extracted.title(), extracted.text(),
                    Instant.now(), header(page, "ETag"), header(page, "Last-Modified"), List.copyOf(links),
                    extracted.description(), extracted.language(), extracted.products()));
        } catch (RuntimeException e) {
            // the listener stores the page under its canonical URL: report the failure there, not under the
            // fetched URL (which crawler4j's onUnhandledException would), so the job's row for it settles
            log.warn("processing {} (fetched as {}) failed", extracted.url(), url, e);
            failure(extracted.url(), "could not process the page (" + e.getClass().getSimpleName() + ")");
            return;
        }
        ctx.listener().onDiscovered(getMyController().getFrontier().getNumberOfScheduledPages());
    }

    @Override
    protected void handlePageStatusCode(WebURL webUrl, int statusCode, String statusDescription) {
        if (ctx.listener().isCancelled()) {
            return;
        }
        String url = normalisedOrRaw(webUrl.getURL());
        if (statusCode == 304) {
            KnownPage known = ctx.revalidate().get(url);
            if (known == null) {
                return; // reported as unexpected below
            }
            ctx.tally().reached(url);
            ctx.tally().reached(known.url());
            ctx.tally().htmlPage();
            ctx.listener().onUnchanged(known);
            followStoredLinks(webUrl, known);
        } else if (statusCode == 404 || statusCode == 410) {
            ctx.tally().reached(url);
            ctx.tally().problem(url, "HTTP " + statusCode);
            ctx.listener().onGone(url, statusCode);
        }
    }

    /** What crawler4j does with the links of a fetched page, for the links stored with an unchanged one. */
    private void followStoredLinks(WebURL parent, KnownPage known) {
        if (known.links() == null) {
            ctx.tally().incomplete("the links of an unchanged page are not known");
            return;
        }
        var docIds = getMyController().getDocIdServer();
        var robots = getMyController().getRobotstxtServer();
        List<WebURL> schedule = new ArrayList<>();
        for (String link : known.links()) {
            WebURL next = new WebURL();
            next.setURL(link);
            next.setParentDocid(parent.getDocid());
            next.setParentUrl(parent.getURL());
            next.setDepth((short) Math.min(Short.MAX_VALUE, parent.getDepth() + 1));
            next.setDocid(-1);
            if (docIds.getDocId(link) > 0) {
                ctx.tally().reached(link);
                continue;
            }
            if (shouldVisit(null, next) && robots.allows(next)) {
                next.setDocid(docIds.getNewDocID(next.getURL()));
                schedule.add(next);
            }
        }
        getMyController().getFrontier().scheduleAll(schedule);
    }

    @Override
    protected void onRedirectedStatusCode(Page page) {
        String target = page.getRedirectedToUrl();
        if (target != null && !ctx.scope().contains(target)) {
            ctx.tally().problem(page.getWebURL().getURL(), "redirects to another site (" + target + ")");
        }
    }

    @Override
    protected void onUnexpectedStatusCode(String url, int statusCode, String contentType, String description) {
        if (statusCode == 404 || statusCode == 410
                || statusCode == 304 && ctx.revalidate().containsKey(normalisedOrRaw(url))) {
            return; // handled in handlePageStatusCode
        }
        failure(url, "HTTP " + statusCode + (description == null ? "" : " " + description));
    }

    @Override
    protected void onContentFetchError(WebURL url) {
        failure(url.getURL(), "the response could not be read");
    }

    @Override
    protected void onPageBiggerThanMaxSize(String url, long pageSize) {
        if (ctx.listener().isCancelled()) {
            return;
        }
        ctx.tally().incomplete("a page was larger than the size limit");
        ctx.listener().onSkipped(normalisedOrRaw(url), "larger than " + ctx.maxPageBytes() + " bytes (" + pageSize + ")");
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
        if (ctx.listener().isCancelled()) {
            return;
        }
        String normalised = normalisedOrRaw(url);
        ctx.tally().problem(normalised, reason);
        ctx.tally().incomplete(normalised + ": " + reason);
        ctx.tally().reached(normalised);
        ctx.listener().onFailure(normalised, reason);
    }

    private static String normalisedOrRaw(String url) {
        String normalised = SiteScope.normalise(url);
        return normalised != null ? normalised : url;
    }

    private static String header(Page page, String name) {
        Header[] headers = page.getFetchResponseHeaders();
        if (headers == null) {
            return null;
        }
        for (Header h : headers) {
            if (name.equalsIgnoreCase(h.getName()) && h.getValue() != null && !h.getValue().isBlank()) {
                return h.getValue().strip();
            }
        }
        return null;
    }
}
