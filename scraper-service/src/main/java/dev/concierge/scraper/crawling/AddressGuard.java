package dev.concierge.scraper.crawling;

import dev.concierge.kit.net.PublicAddresses;
import dev.concierge.scraper.config.ScraperProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps the crawler away from internal networks (SSRF): a host is crawled only when every address it
 * resolves to is public. Loopback, private (RFC 1918), carrier-grade NAT, link-local (including the
 * cloud metadata address 169.254.169.254), unique-local, multicast, reserved and unspecified addresses
 * are refused, also when wrapped in IPv6 (IPv4-mapped, NAT64, 6to4). {@code allowPrivateHosts} switches
 * the check off for local demo stores and tests.
 */
@Component
public class AddressGuard {

    private final boolean allowPrivateHosts;

    @Autowired
    public AddressGuard(ScraperProperties properties) {
        this(properties.allowPrivateHosts());
    }

    public AddressGuard(boolean allowPrivateHosts) {
        this.allowPrivateHosts = allowPrivateHosts;
    }

    /**
     * Resolves {@code host} (blocking DNS) and returns its addresses.
     *
     * @throws BlockedHostException when one of the addresses is not public and private hosts are not allowed
     * @throws UnknownHostException when the host does not resolve
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        if (!allowPrivateHosts) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new BlockedHostException(host, address);
                }
            }
        }
        return addresses;
    }

    /** Whether the crawler may fetch from {@code host}; false when it does not resolve or is not public. */
    public boolean allows(String host) {
        if (allowPrivateHosts) {
            return true;
        }
        try {
            resolve(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code address} is reachable on the public internet ({@link PublicAddresses}). */
    public static boolean isPublic(InetAddress address) {
        return PublicAddresses.isPublic(address);
    }

    /** A host that resolves to an address the crawler must not reach. */
    public static final class BlockedHostException extends UnknownHostException {

        public BlockedHostException(String host, InetAddress address) {
            super(host + " resolves to " + address.getHostAddress() + ", which is not a public address");
        }
    }
}
