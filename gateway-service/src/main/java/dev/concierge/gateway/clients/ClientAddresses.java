package dev.concierge.gateway.clients;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * Who the client of a request is, for per-client rate limits, and whether a request came through a trusted proxy
 * (whose {@code X-Forwarded-*} headers are believed). The client is the peer address of the connection,
 * unless that peer is a trusted proxy: then {@code X-Forwarded-For} is read from the right (the entry the
 * nearest proxy added) and the first address that is not a trusted proxy is the client. Entries further left are
 * whatever the client chose to send and are never believed. With no trusted proxies (the default)
 * {@code X-Forwarded-For} is ignored, so a client cannot pick its own bucket by sending one.
 * <p>
 * Only IP literals are parsed, never resolved: nothing here does DNS.
 */
public final class ClientAddresses {

    private static final int IPV6_BUCKET_BITS = 64;

    private final List<Block> trustedProxies;

    private ClientAddresses(List<Block> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * @param trustedProxies IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code 192.168.1.10},
     *                       {@code fd00::/8})
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ClientAddresses trusting(List<String> trustedProxies) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trustedProxies) {
            blocks.add(Block.parse(entry));
        }
        return new ClientAddresses(List.copyOf(blocks));
    }

    /**
     * The bucket key of the request's client: its IPv4 address, or the /64 network of its IPv6 address (one
     * subscriber usually holds a whole /64, so single IPv6 addresses would be free to rotate through).
     *
     * @param peer          the connection's remote address; {@code null} when unknown
     * @param forwardedFor  the request's {@code X-Forwarded-For} header values, in order
     */
    public String clientKey(InetSocketAddress peer, List<String> forwardedFor) {
        byte[] client = client(peer, forwardedFor);
        return client == null ? "unknown" : bucketKey(client);
    }

    /** Whether the connection's peer is one of the trusted proxies, so its {@code X-Forwarded-*} headers hold. */
    public boolean isTrustedProxy(InetSocketAddress peer) {
        if (trustedProxies.isEmpty() || peer == null || peer.getAddress() == null) {
            return false;
        }
        return isTrusted(normalise(peer.getAddress().getAddress()));
    }

    byte[] client(InetSocketAddress peer, List<String> forwardedFor) {
        if (peer == null || peer.getAddress() == null) {
            return null;
        }
        byte[] hop = normalise(peer.getAddress().getAddress());
        if (trustedProxies.isEmpty() || !isTrusted(hop)) {
            return hop;
        }
        List<String> entries = new ArrayList<>();
        for (String header : forwardedFor == null ? List.<String>of() : forwardedFor) {
            entries.addAll(Arrays.asList(header.split(",")));
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            byte[] previous = parseForwarded(entries.get(i));
            if (previous == null) {
                // Garbage where the trusted proxy should have written an address: stay with that proxy.
                return hop;
            }
            hop = previous;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return hop;
    }

    private boolean isTrusted(byte[] address) {
        return trustedProxies.stream().anyMatch(block -> block.contains(address));
    }

    static String bucketKey(byte[] address) {
        if (address.length == 4) {
            return NetUtil.bytesToIpAddress(address);
        }
        byte[] network = Arrays.copyOf(address, address.length);
        Arrays.fill(network, IPV6_BUCKET_BITS / 8, network.length, (byte) 0);
        return NetUtil.bytesToIpAddress(network) + "/" + IPV6_BUCKET_BITS;
    }

    /** An {@code X-Forwarded-For} entry: an IP literal, possibly with a port or (IPv6) in brackets. */
    static byte[] parseForwarded(String raw) {
        String entry = raw.strip();
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            entry = close < 0 ? "" : entry.substring(1, close);
        } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            entry = entry.substring(0, entry.indexOf(':')); // IPv4 with a port
        }
        return parseLiteral(entry);
    }

    /** The address of an IP literal (IPv4-mapped IPv6 as IPv4), or {@code null} when it is none. */
    static byte[] parseLiteral(String literal) {
        if (literal == null || literal.isEmpty() || literal.indexOf('%') >= 0) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        return bytes == null ? null : normalise(bytes);
    }

    private static byte[] normalise(byte[] address) {
        if (address.length == 16) {
            boolean mapped = address[10] == (byte) 0xff && address[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = address[i] == 0;
            }
            if (mapped) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }

    /** An address block: {@code network/prefixLength}. */
    private record Block(byte[] network, int prefixLength) {

        static Block parse(String raw) {
            String entry = raw.strip();
            int slash = entry.indexOf('/');
            byte[] address = parseLiteral(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("Not an IP address or CIDR block: '" + raw + "'");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (address.length == 4 && entry.substring(0, slash).contains(":")) {
                    prefix -= 96; // an IPv4-mapped IPv6 block, e.g. ::ffff:10.0.0.0/104
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("Not a CIDR block: '" + raw + "'");
                }
            }
            return new Block(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
