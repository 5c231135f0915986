package dev.concierge.scraper.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param allowPrivateHosts  crawl loopback/private/link-local hosts too (local demo store, tests); never in production
 * @param politenessDelayMs  pause between two requests of one job
 * @param maxConcurrentJobs  jobs crawling at once; further jobs wait, {@code pending}, in a queue
 * @param maxQueuedJobs      bound on that queue; a job beyond it is refused with 503
 * @param crawlersPerJob     crawler4j threads of one job
 * @param userAgent          User-Agent header; its product token (before the first {@code /}) is matched against robots.txt
 * @param requestTimeoutMs   connect and read timeout of one request
 * @param maxPageBytes       larger responses are not processed (skipped, with the reason on the job's page)
 * @param recrawlCheckMs     how often the recrawl scheduler looks for due re-crawls
 * @param staleCheckMs       how often pages the indexing pipeline never answered for are looked for
 * @param pipelineTimeout    how long a page of a finished crawl may wait, since its last update, for its
 *                           outcome from the pipeline before it counts as failed (ISO-8601, e.g. {@code PT15M})
 */
@ConfigurationProperties(prefix = "scraper")
public record ScraperProperties(
        boolean allowPrivateHosts,
        int politenessDelayMs,
        int maxConcurrentJobs,
        int maxQueuedJobs,
        int crawlersPerJob,
        String userAgent,
        int requestTimeoutMs,
        int maxPageBytes,
        long recrawlCheckMs,
        long staleCheckMs,
        Duration pipelineTimeout) {

    public ScraperProperties {
        require(politenessDelayMs >= 0, "scraper.politeness-delay-ms must not be negative");
        require(maxConcurrentJobs > 0, "scraper.max-concurrent-jobs must be positive");
        require(maxQueuedJobs > 0, "scraper.max-queued-jobs must be positive");
        require(crawlersPerJob > 0, "scraper.crawlers-per-job must be positive");
        require(userAgent != null && !userAgent.isBlank(), "scraper.user-agent must be set");
        require(requestTimeoutMs > 0, "scraper.request-timeout-ms must be positive");
        require(maxPageBytes > 0, "scraper.max-page-bytes must be positive");
        require(recrawlCheckMs > 0, "scraper.recrawl-check-ms must be positive");
        require(staleCheckMs > 0, "scraper.stale-check-ms must be positive");
        require(pipelineTimeout != null && !pipelineTimeout.isNegative() && !pipelineTimeout.isZero(),
                "scraper.pipeline-timeout must be positive");
    }

    /** The robots.txt name of our crawler: {@code ConciergeBot} for {@code ConciergeBot/0.1 (+https://…)}. */
    public String robotsName() {
        String token = userAgent.strip().split("[/\\s]", 2)[0];
        return token.isEmpty() ? userAgent.strip() : token;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
