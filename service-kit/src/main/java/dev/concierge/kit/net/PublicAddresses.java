package dev.concierge.kit.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which addresses a service may connect to on a tenant's behalf (SSRF protection): public ones only. Loopback,
 * private (RFC 1918), carrier-grade NAT, link-local (including the cloud metadata address 169.254.169.254),
 * unique-local, multicast, reserved, benchmarking and unspecified addresses are not, also when wrapped in IPv6
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Used by the crawler (scraper-service), the store client
 * (commerce-service) and tenants' own LLM endpoints (chat-service); gateway-service, which does not use this kit,
 * keeps the same ranges in its own {@code egress.PublicAddresses}.
 */
public final class PublicAddresses {

    private PublicAddresses() {
    }

    /** Whether {@code address} is reachable on the public internet, i.e. not one of the ranges above. */
    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return isPublicV4(b);
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return false; // fc00::/7 unique local (includes fd00:ec2::254, the AWS IPv6 metadata address)
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d
        }
        if (zero(b, 0, 12)) {
            return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::a.b.c.d (deprecated IPv4-compatible)
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
            return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // 64:ff9b::/96 NAT64
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return isPublicV4(Arrays.copyOfRange(b, 2, 6)); // 2002::/16 6to4
        }
        return true;
    }

    private static boolean isPublicV4(byte[] b) {
        int a = b[0] & 0xff;
        int s = b[1] & 0xff;
        return !(a == 0                                   // 0.0.0.0/8 "this network", incl. 0.0.0.0
                || a == 10                                // 10.0.0.0/8 private
                || a == 127                               // loopback
                || a == 100 && (s & 0xc0) == 64           // 100.64.0.0/10 carrier-grade NAT
                || a == 169 && s == 254                   // link-local, cloud metadata
                || a == 172 && (s & 0xf0) == 16           // 172.16.0.0/12 private
                || a == 192 && s == 168                   // 192.168.0.0/16 private
                || a == 192 && s == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24 IETF protocol assignments
                || a == 198 && (s & 0xfe) == 18           // 198.18.0.0/15 benchmarking
                || a >= 224);                             // multicast, reserved, broadcast
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
