package dev.concierge.scraper.jobs;

import dev.concierge.contracts.Domains;
import dev.concierge.scraper.crawling.AddressGuard;
import dev.concierge.scraper.crawling.SiteScope;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Turns a caller and a {@link ScrapeRequest} into a valid crawl, or an {@link ApiException}. */
@Component
public class ScrapeRequestValidator {

    static final int DEFAULT_MAX_PAGES = 500;
    static final int MAX_PAGES_LIMIT = 10_000;

    private final AddressGuard guard;

    public ScrapeRequestValidator(AddressGuard guard) {
        this.guard = guard;
    }

    /** A request that passed every check but the address check. */
    public record ValidScrape(String tenantId, String domain, String startUrl, int maxPages, boolean forceRescrape) {
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
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (tenantDomain != null && !tenantDomain.equals(domain)) {
            throw ApiException.forbidden("domain " + domain + " is not the tenant's domain");
        }
        return new ValidScrape(caller.tenantId(), domain, startUrl, maxPages, Boolean.TRUE.equals(r.forceRescrape()));
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
