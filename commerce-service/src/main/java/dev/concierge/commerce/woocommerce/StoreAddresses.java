package dev.concierge.commerce.woocommerce;

import java.net.InetAddress;

/**
 * Which addresses a store may not have: loopback, private (RFC 1918, IPv6 unique local), link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT (100.64/10), "this network" (0/8), benchmarking (198.18/15),
 * any-local and multicast. Checked when a store is connected and again on every connection made to it, so a store
 * whose name later points inside our network (DNS rebinding) is not followed there.
 */
public final class StoreAddresses {

    private StoreAddresses() {
    }

    public static boolean forbidden(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) || (first == 198 && (second == 18 || second == 19));
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7
    }
}
