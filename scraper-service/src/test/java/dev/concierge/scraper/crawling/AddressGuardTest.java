package dev.concierge.scraper.crawling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The ranges themselves: service-kit's PublicAddressesTest. */
class AddressGuardTest {

    @Test
    void refusesToResolveToPrivateAddressesUnlessAllowed() throws UnknownHostException {
        assertThatThrownBy(() -> new AddressGuard(false).resolve("127.0.0.1"))
                .isInstanceOf(AddressGuard.BlockedHostException.class)
                .hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> new AddressGuard(false).resolve("[::1]"))
                .isInstanceOf(AddressGuard.BlockedHostException.class);
        assertThat(new AddressGuard(false).allows("169.254.169.254")).isFalse();
        assertThat(new AddressGuard(false).allows("8.8.8.8")).isTrue();

        assertThat(new AddressGuard(true).resolve("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(new AddressGuard(true).allows("10.0.0.1")).isTrue();
    }
}
