package dev.concierge.scraper.crawling.internal;

import dev.concierge.scraper.crawling.AddressGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.http.conn.DnsResolver;

/**
 * The crawler's HTTP client resolves every host it connects to through the {@link AddressGuard}, so a
 * host that passed the scope check but resolves (now, or after a redirect) to an internal address is
 * never connected to: DNS rebinding does not get past it.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final AddressGuard guard;

    GuardedDnsResolver(AddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return guard.resolve(host);
    }
}
