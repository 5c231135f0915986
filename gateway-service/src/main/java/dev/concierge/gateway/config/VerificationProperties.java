package dev.concierge.gateway.config;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Domain verification ({@code concierge.verification.*}).
 *
 * @param requireVerifiedDomain whether an unverified tenant is refused crawls ({@code POST /api/scrape}) and the
 *                              public widget chat; {@code false} only for local runs and tests
 * @param scheme                how the tenant's site is fetched: {@code https} (production) or {@code http}
 *                              (local demo stores, tests)
 * @param port                  the port the site is fetched from; 0 for the scheme's default (local runs and tests
 *                              set the demo store's port)
 * @param allowPrivateHosts     whether a domain may resolve to loopback, private, link-local or other non-public
 *                              addresses (SSRF protection off); only for local runs and tests
 * @param dnsServer             {@code host:port} of the DNS server asked for the TXT record; empty for the
 *                              system's resolvers
 * @param connectTimeout        longest wait for a connection to the tenant's site
 * @param timeout               longest wait for one fetch of the site, redirects included
 * @param dnsTimeout            longest wait for the TXT record
 * @param maxFileSize           how much of {@code /.well-known/concierge-verify.txt} is read
 * @param maxPageSize           how much of the home page is read looking for the meta tag
 * @param maxRedirects          redirects followed, only within the tenant's domain (and its www. host)
 */
@ConfigurationProperties("concierge.verification")
public record VerificationProperties(
        @DefaultValue("true") boolean requireVerifiedDomain,
        @DefaultValue("https") String scheme,
        @DefaultValue("0") int port,
        @DefaultValue("false") boolean allowPrivateHosts,
        @DefaultValue("") String dnsServer,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("8s") Duration timeout,
        @DefaultValue("3s") Duration dnsTimeout,
        @DefaultValue("64KB") DataSize maxFileSize,
        @DefaultValue("512KB") DataSize maxPageSize,
        @DefaultValue("3") int maxRedirects) {

    public VerificationProperties {
        scheme = scheme == null ? "https" : scheme.strip().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("concierge.verification.scheme must be https or http");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("concierge.verification.port must be 0 (the default) or a port");
        }
        dnsServer = dnsServer == null ? "" : dnsServer.strip();
        for (Duration duration : new Duration[] {connectTimeout, timeout, dnsTimeout}) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("concierge.verification timeouts must be positive");
            }
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("concierge.verification.max-redirects must not be negative");
        }
    }
}
