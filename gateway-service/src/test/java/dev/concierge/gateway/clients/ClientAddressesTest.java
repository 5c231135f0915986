package dev.concierge.gateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressesTest {

    private static InetSocketAddress peer(String ip) {
        return new InetSocketAddress(ip, 40000);
    }

    @Test
    void ignoresForwardedForWithoutTrustedProxies() {
        ClientAddresses clients = ClientAddresses.trusting(List.of());

        assertThat(clients.clientKey(peer("198.51.100.7"), List.of("203.0.113.9"))).isEqualTo("198.51.100.7");
    }

    @Test
    void ignoresForwardedForFromAPeerThatIsNoTrustedProxy() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("10.0.0.0/8"));

        assertThat(clients.clientKey(peer("198.51.100.7"), List.of("203.0.113.9"))).isEqualTo("198.51.100.7");
    }

    @Test
    void takesTheNearestUntrustedAddressBehindTrustedProxies() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.168.1.10"));

        // the client made up "1.2.3.4"; the edge proxy (192.168.1.10) appended the real client, the inner proxy
        // (10.1.2.3) appended the edge proxy
        assertThat(clients.clientKey(peer("10.1.2.3"), List.of("1.2.3.4, 203.0.113.9", "192.168.1.10")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void staysWithTheProxyWhenTheForwardedForIsMissingOrGarbage() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("10.0.0.0/8"));

        assertThat(clients.clientKey(peer("10.1.2.3"), List.of())).isEqualTo("10.1.2.3");
        assertThat(clients.clientKey(peer("10.1.2.3"), List.of("unknown"))).isEqualTo("10.1.2.3");
    }

    @Test
    void readsPortsAndBracketsInForwardedFor() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("127.0.0.1"));

        assertThat(clients.clientKey(peer("127.0.0.1"), List.of("203.0.113.9:51000"))).isEqualTo("203.0.113.9");
        assertThat(clients.clientKey(peer("127.0.0.1"), List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8::/64");
    }

    @Test
    void bucketsIpv6ClientsByTheirSlash64() {
        ClientAddresses clients = ClientAddresses.trusting(List.of());

        assertThat(clients.clientKey(peer("2001:db8:1:2:aaaa::1"), List.of()))
                .isEqualTo(clients.clientKey(peer("2001:db8:1:2:bbbb::2"), List.of()))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(clients.clientKey(peer("2001:db8:1:3::1"), List.of())).isEqualTo("2001:db8:1:3::/64");
    }

    @Test
    void treatsIpv4MappedIpv6AsIpv4() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("10.0.0.0/8"));

        assertThat(clients.clientKey(peer("::ffff:10.0.0.5"), List.of("::ffff:203.0.113.9")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void matchesCidrBlocksBitByBit() {
        ClientAddresses clients = ClientAddresses.trusting(List.of("172.16.0.0/12", "fd00::/8"));

        assertThat(clients.clientKey(peer("172.31.255.255"), List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(clients.clientKey(peer("172.32.0.1"), List.of("203.0.113.9"))).isEqualTo("172.32.0.1");
        assertThat(clients.clientKey(peer("fd12::1"), List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "300.1.1.1", "*"})
    void refusesWhatIsNoAddressOrBlock(String entry) {
        assertThatThrownBy(() -> ClientAddresses.trusting(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(entry);
    }
}
