package dev.concierge.scraper.jobs;

import dev.concierge.contracts.Domains;
import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.SiteScope;
import dev.concierge.scraper.crawling.UrlRules;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/** Turns a caller and a {@link ScrapeRequest} into a valid crawl, or an {@link ApiException}. */
@Component
public class ScrapeRequestValidator {

    static final int DEFAULT_MAX_PAGES = 500;
    static final int MAX_PAGES_LIMIT = 10_000;
    static final int DEFAULT_MAX_DEPTH = 10;
    static final int MAX_DEPTH_LIMIT = 50;
    static final Duration DEFAULT_RECRAWL_INTERVAL = Duration.ofDays(1);
    static final Duration MIN_RECRAWL_INTERVAL = Duration.ofHours(1);

    private final AddressGuard guard;

    public ScrapeRequestValidator(AddressGuard guard) {
        this.guard = guard;
    }

    /**
     * A request that passed every check but the address check.
     *
     * @param recrawlInterval null: no scheduled re-crawl
     */
    public record ValidScrape(String tenantId, String domain, String startUrl, int maxPages, boolean forceRescrape,
            int maxDepth, List<String> include, List<String> exclude, boolean defaultExcludes,
            Duration recrawlInterval) {
    }

    /** Checks identity and fields, without touching the network. */
    public ValidScrape validate(Caller caller, ScrapeRequest request) {
        if (caller.isWidget()) {
            throw ApiException.forbidden("widget keys cannot start crawls");
        }
        if (caller.tenantId() == null) {
            if (caller.isAdmin()) {
                throw ApiException.invalid("domain", "must name the store to crawl");
            }
            throw ApiException.unauthenticated("the request carries no tenant (X-Tenant-Id)");
        }
        ScrapeRequest r = request == null ? ScrapeRequest.EMPTY : request;
        List<ApiException.FieldProblem> errors = new ArrayList<>();

        String tenantDomain = caller.tenantDomain() == null ? null : Domains.normalise(caller.tenantDomain());
        String domain = tenantDomain;
        if (r.domain() != null) {
            domain = Domains.normalise(r.domain());
            if (domain == null) {
                errors.add(new ApiException.FieldProblem("domain", "is not a domain name"));
            }
        } else if (domain == null) {
            errors.add(new ApiException.FieldProblem("domain", "is required (the tenant has no domain)"));
        }

        String startUrl = null;
        if (r.startUrl() != null) {
            startUrl = SiteScope.normalise(r.startUrl());
            if (startUrl == null) {
                errors.add(new ApiException.FieldProblem("start_url", "must be an absolute http or https URL"));
            }
        } else if (domain != null) {
            startUrl = "https://" + domain + "/";
        }

        int maxPages = r.maxPages() == null ? DEFAULT_MAX_PAGES : r.maxPages();
        if (maxPages < 1 || maxPages > MAX_PAGES_LIMIT) {
            errors.add(new ApiException.FieldProblem("max_pages", "must be between 1 and " + MAX_PAGES_LIMIT));
        }
        int maxDepth = r.maxDepth() == null ? DEFAULT_MAX_DEPTH : r.maxDepth();
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            errors.add(new ApiException.FieldProblem("max_depth", "must be between 0 and " + MAX_DEPTH_LIMIT));
        }
        List<String> include = patterns("include", r.include(), errors);
        List<String> exclude = patterns("exclude", r.exclude(), errors);
        Duration recrawl = recrawlInterval(r.recrawlInterval(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (tenantDomain != null && !tenantDomain.equals(domain)) {
            throw ApiException.forbidden("domain " + domain + " is not the tenant's domain");
        }
        return new ValidScrape(caller.tenantId(), domain, startUrl, maxPages, Boolean.TRUE.equals(r.forceRescrape()),
                maxDepth, include, exclude, !Boolean.FALSE.equals(r.defaultExcludes()), recrawl);
    }

    private static List<String> patterns(String field, List<String> patterns, List<ApiException.FieldProblem> errors) {
        if (patterns == null) {
            return List.of();
        }
        if (patterns.size() > UrlRules.MAX_PATTERNS) {
            errors.add(new ApiException.FieldProblem(field, "must have at most " + UrlRules.MAX_PATTERNS + " patterns"));
            return List.of();
        }
        for (int i = 0; i < patterns.size(); i++) {
            String problem = UrlRules.problem(patterns.get(i));
            if (problem != null) {
                errors.add(new ApiException.FieldProblem(field + "[" + i + "]", problem));
            }
        }
        return List.copyOf(patterns);
    }

    /** Absent: the default; JSON null or "off": none; else an ISO-8601 duration of at least an hour. */
    private static Duration recrawlInterval(JsonNode node, List<ApiException.FieldProblem> errors) {
        if (node == null || node.isMissingNode()) {
            return DEFAULT_RECRAWL_INTERVAL;
        }
        if (node.isNull()) {
            return null;
        }
        String text = node.isString() ? node.asString().strip() : null;
        if (text != null && text.toLowerCase(Locale.ROOT).equals("off")) {
            return null;
        }
        try {
            Duration interval = text == null ? null : Duration.parse(text.toUpperCase(Locale.ROOT));
            if (interval != null && interval.compareTo(MIN_RECRAWL_INTERVAL) >= 0) {
                return interval;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new ApiException.FieldProblem("recrawl_interval",
                "must be an ISO-8601 duration of at least PT1H (e.g. P1D), \"off\" or null"));
        return null;
    }

    /** Refuses a start URL whose host does not resolve or resolves to a non-public address. Blocking (DNS). */
    public void checkAddress(ValidScrape scrape) {
        String host = URI.create(scrape.startUrl()).getHost();
        try {
            guard.resolve(host);
        } catch (AddressGuard.BlockedHostException e) {
            throw ApiException.invalid("start_url", "must not point to a private, loopback or link-local address ("
                    + e.getMessage() + ")");
        } catch (UnknownHostException e) {
            throw ApiException.invalid("start_url", "host " + host + " does not resolve");
        }
    }
}
