package dev.concierge.commerce.woocommerce;

import dev.concierge.kit.net.PublicAddresses;
import java.net.InetAddress;

/**
 * Which addresses a store may not have: loopback, private (RFC 1918, IPv6 unique local), link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT (100.64/10), "this network" (0/8), benchmarking (198.18/15),
 * any-local, multicast and the rest of {@link PublicAddresses}' ranges, also wrapped in IPv6. Checked when a store
 * is connected and again on every connection made to it, so a store whose name later points inside our network
 * (DNS rebinding) is not followed there.
 */
public final class StoreAddresses {

    private StoreAddresses() {
    }

    public static boolean forbidden(InetAddress a) {
        return !PublicAddresses.isPublic(a);
    }
}
