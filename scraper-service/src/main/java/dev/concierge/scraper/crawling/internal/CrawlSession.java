package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.config.ScraperProperties;
import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.CrawlListener;
import dev.concierge.scraper.crawling.CrawlRequest;
import dev.concierge.scraper.crawling.CrawlResult;
import dev.concierge.scraper.crawling.KnownPage;
import dev.concierge.scraper.crawling.PageExtractor;
import dev.concierge.scraper.crawling.SiteScope;
import edu.uci.ics.crawler4j.crawler.CrawlConfig;
import edu.uci.ics.crawler4j.crawler.CrawlController;
import edu.uci.ics.crawler4j.fetcher.PageFetcher;
import edu.uci.ics.crawler4j.robotstxt.RobotstxtConfig;
import edu.uci.ics.crawler4j.robotstxt.RobotstxtServer;
import edu.uci.ics.crawler4j.url.WebURL;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl with crawler4j: its own storage folder under {@code java.io.tmpdir} (deleted afterwards),
 * fetcher, robots.txt server and controller. Before crawling it reads robots.txt for {@code Crawl-delay}
 * and {@code Sitemap:} lines and seeds the sitemaps' pages. {@link #run()} blocks the calling thread until the crawl ends;
 * {@link #stop()} ends it early from another thread.
 */
public final class CrawlSession {

    private static final Logger log = LoggerFactory.getLogger(CrawlSession.class);
    static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(30);

    private final ScraperProperties properties;
    private final AddressGuard guard;
    private final PageExtractor extractor;
    private final CrawlRequest request;
    private final CrawlListener listener;
    private volatile CrawlController controller;
    private volatile boolean stopped;

    public CrawlSession(ScraperProperties properties, AddressGuard guard, PageExtractor extractor,
            CrawlRequest request, CrawlListener listener) {
        this.properties = properties;
        this.guard = guard;
        this.extractor = extractor;
        this.request = request;
        this.listener = listener;
    }

    public CrawlResult run() throws Exception {
        String startUrl = SiteScope.normalise(request.startUrl());
        if (startUrl == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + request.startUrl());
        }
        SiteScope scope = SiteScope.of(startUrl);
        Path storage = Files.createTempDirectory("concierge-crawl-" + request.label() + "-");
        PageFetcher fetcher = null;
        try {
            CrawlConfig config = config(storage);
            Map<String, KnownPage> revalidate = new HashMap<>();
            for (KnownPage known : request.known()) {
                String fetched = SiteScope.normalise(known.fetchedUrl() != null ? known.fetchedUrl() : known.url());
                if (known.revalidate() && fetched != null && (known.etag() != null || known.lastModified() != null)) {
                    revalidate.put(fetched, known);
                }
            }
            ConditionalPageFetcher conditional = new ConditionalPageFetcher(config, revalidate);
            fetcher = conditional;
            RobotstxtConfig robotsConfig = new RobotstxtConfig();
            robotsConfig.setUserAgentName(properties.robotsName());
            RobotstxtServer robots = new RobotstxtServer(robotsConfig, fetcher);
            CrawlController crawl = new CrawlController(config, fetcher, JsoupHtmlParser.parser(config), robots);
            CrawlTally tally = new CrawlTally(startUrl);

            String origin = origin(startUrl);
            RobotsHints hints = RobotsHints.parse(
                    SitemapReader.fetchText(fetcher, origin + "/robots.txt", properties.maxPageBytes()),
                    properties.robotsName());
            config.setPolitenessDelay(politenessDelay(properties.politenessDelayMs(), hints.crawlDelay()));

            boolean startAllowed = robots.allows(webUrl(startUrl));
            crawl.addSeed(startUrl);
            tally.reached(startUrl);
            List<String> sitemaps = new ArrayList<>(hints.sitemaps());
            sitemaps.add(origin + "/sitemap.xml");
            for (String seed : new SitemapReader(fetcher, properties.maxPageBytes()).pageUrls(sitemaps,
                    scope::contains,
                    url -> ConciergeWebCrawler.isCandidate(url, scope, request.rules(), guard),
                    request.maxPages())) {
                String normalised = SiteScope.normalise(seed);
                tally.reached(normalised);
                crawl.addSeed(normalised);
            }

            CrawlContext context = new CrawlContext(scope, request.rules(), guard, extractor, listener, tally,
                    properties.maxPageBytes(), request.maxDepth(), revalidate);
            conditional.onSkipped((url, reason) -> {
                if (!listener.isCancelled()) {
                    tally.reached(url);
                    listener.onSkipped(url, reason);
                }
            });
            controller = crawl;
            if (stopped || listener.isCancelled()) {
                crawl.shutdown();
            }
            crawl.start(() -> new ConciergeWebCrawler(context), properties.crawlersPerJob());

            boolean interrupted = stopped || listener.isCancelled();
            long scheduled = crawl.getFrontier().getNumberOfScheduledPages();
            if (!interrupted) {
                listener.onDiscovered(scheduled);
            }
            String problem = tally.htmlPages() > 0 ? null : whyNothing(startUrl, startAllowed, scheduled, tally);
            boolean complete = !interrupted && problem == null && scheduled < request.maxPages()
                    && tally.incompleteReason() == null;
            List<KnownPage> unlinked = complete ? unlinked(startUrl, scope, tally) : List.of();
            log.info("crawl {} of {} finished: {} URLs scheduled, {} HTML pages, {}", request.label(), startUrl,
                    scheduled, tally.htmlPages(), interrupted ? "interrupted"
                            : complete ? unlinked.size() + " known pages unlinked"
                            : "incomplete (" + (scheduled >= request.maxPages() ? "page limit reached"
                                    : problem != null ? problem : tally.incompleteReason()) + ")");
            return new CrawlResult(scheduled, tally.htmlPages(), problem, interrupted, complete, unlinked);
        } finally {
            if (fetcher != null) {
                fetcher.shutDown();
            }
            delete(storage);
        }
    }

    /** The larger of the configured delay and robots.txt's Crawl-delay, the latter capped at 30 s. */
    static int politenessDelay(int configuredMs, Duration crawlDelay) {
        if (crawlDelay == null) {
            return configuredMs;
        }
        long robotsMs = Math.min(crawlDelay.toMillis(), MAX_CRAWL_DELAY.toMillis());
        return (int) Math.max(configuredMs, robotsMs);
    }

    /**
     * Known pages this crawl was responsible for (same site, under the start URL's directory, allowed by
     * its rules) that it never reached.
     */
    private List<KnownPage> unlinked(String startUrl, SiteScope scope, CrawlTally tally) {
        String startPath = URI.create(startUrl).getRawPath();
        String directory = startPath.substring(0, startPath.lastIndexOf('/') + 1);
        List<KnownPage> unlinked = new ArrayList<>();
        for (KnownPage known : request.known()) {
            String url = SiteScope.normalise(known.url());
            if (url == null || !scope.contains(url) || !URI.create(url).getRawPath().startsWith(directory)
                    || !request.rules().allows(url) || !ConciergeWebCrawler.looksLikePage(url)) {
                continue;
            }
            if (!tally.wasReached(url) && !tally.wasReached(SiteScope.normalise(known.fetchedUrl()))) {
                unlinked.add(known);
            }
        }
        return unlinked;
    }

    private static String origin(String normalisedUrl) {
        URI uri = URI.create(normalisedUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    public String label() {
        return request.label();
    }

    /** Ends a running crawl: crawler threads finish the page they are on, then {@link #run()} returns. */
    public void stop() {
        stopped = true;
        CrawlController crawl = controller;
        if (crawl != null) {
            crawl.shutdown();
        }
    }

    private CrawlConfig config(Path storage) {
        CrawlConfig config = new CrawlConfig();
        config.setCrawlStorageFolder(storage.toString());
        config.setResumableCrawling(false);
        config.setPolitenessDelay(properties.politenessDelayMs());
        config.setMaxPagesToFetch(request.maxPages());
        config.setMaxDepthOfCrawling(-1);
        config.setUserAgentString(properties.userAgent());
        config.setConnectionTimeout(properties.requestTimeoutMs());
        config.setSocketTimeout(properties.requestTimeoutMs());
        config.setMaxDownloadSize(properties.maxPageBytes());
        config.setIncludeHttpsPages(true);
        config.setIncludeBinaryContentInCrawling(false);
        config.setFollowRedirects(true);
        config.setRespectNoFollow(true);
        config.setRespectNoIndex(true);
        config.setShutdownOnEmptyQueue(true);
        config.setOnlineTldListUpdate(false);
        config.setMaxConnectionsPerHost(properties.crawlersPerJob());
        config.setDnsResolver(new GuardedDnsResolver(guard));
        // crawler4j's defaults (10 s monitoring, 10 s shutdown, 10 s cleanup) add ~30 s to every crawl
        config.setThreadMonitoringDelaySeconds(1);
        config.setThreadShutdownDelaySeconds(1);
        config.setCleanupDelaySeconds(1);
        return config;
    }

    private static String whyNothing(String startUrl, boolean startAllowed, long scheduled, CrawlTally tally) {
        if (!startAllowed && scheduled == 0) {
            return "robots.txt does not allow crawling " + startUrl;
        }
        if (tally.startUrlProblem() != null) {
            return "the start URL could not be fetched: " + tally.startUrlProblem();
        }
        if (tally.firstProblem() != null) {
            return "no HTML page could be fetched; first problem: " + tally.firstProblem();
        }
        return "no HTML page was found at " + startUrl;
    }

    private static WebURL webUrl(String url) {
        WebURL webUrl = new WebURL();
        webUrl.setURL(url);
        return webUrl;
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete crawl storage {}: {}", folder, e.toString());
        }
    }
}
