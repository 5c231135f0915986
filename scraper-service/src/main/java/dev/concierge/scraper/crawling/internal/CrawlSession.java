package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.config.ScraperProperties;
import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.CrawlListener;
import dev.concierge.scraper.crawling.CrawlRequest;
import dev.concierge.scraper.crawling.CrawlResult;
import dev.concierge.scraper.crawling.PageExtractor;
import dev.concierge.scraper.crawling.SiteScope;
import edu.uci.ics.crawler4j.crawler.CrawlConfig;
import edu.uci.ics.crawler4j.crawler.CrawlController;
import edu.uci.ics.crawler4j.fetcher.PageFetcher;
import edu.uci.ics.crawler4j.robotstxt.RobotstxtConfig;
import edu.uci.ics.crawler4j.robotstxt.RobotstxtServer;
import edu.uci.ics.crawler4j.url.WebURL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl with crawler4j: its own storage folder under {@code java.io.tmpdir} (deleted afterwards),
 * fetcher, robots.txt server and controller. {@link #run()} blocks the calling thread until the crawl ends;
 * {@link #stop()} ends it early from another thread.
 */
public final class CrawlSession {

    private static final Logger log = LoggerFactory.getLogger(CrawlSession.class);

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
            fetcher = new PageFetcher(config);
            RobotstxtConfig robotsConfig = new RobotstxtConfig();
            robotsConfig.setUserAgentName(properties.robotsName());
            RobotstxtServer robots = new RobotstxtServer(robotsConfig, fetcher);
            CrawlController crawl = new CrawlController(config, fetcher, robots);
            CrawlTally tally = new CrawlTally(startUrl);

            boolean startAllowed = robots.allows(webUrl(startUrl));
            crawl.addSeed(startUrl);
            new SitemapReader(fetcher, properties.maxPageBytes())
                    .pageUrls(startUrl, url -> ConciergeWebCrawler.isCandidate(url, scope, guard), request.maxPages())
                    .forEach(crawl::addSeed);

            controller = crawl;
            if (stopped) {
                crawl.shutdown();
            }
            crawl.start(() -> new ConciergeWebCrawler(scope, guard, extractor, listener, tally,
                    properties.maxPageBytes()), properties.crawlersPerJob());

            long scheduled = crawl.getFrontier().getNumberOfScheduledPages();
            listener.onDiscovered(scheduled);
            String problem = tally.htmlPages() > 0 ? null : whyNothing(startUrl, startAllowed, scheduled, tally);
            log.info("crawl {} of {} finished: {} URLs scheduled, {} HTML pages", request.label(), startUrl,
                    scheduled, tally.htmlPages());
            return new CrawlResult(scheduled, tally.htmlPages(), problem, stopped);
        } finally {
            if (fetcher != null) {
                fetcher.shutDown();
            }
            delete(storage);
        }
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
