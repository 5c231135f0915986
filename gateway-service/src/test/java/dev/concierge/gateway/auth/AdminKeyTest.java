package dev.concierge.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.concierge.gateway.config.GatewayProperties;

class AdminKeyTest {

    private static AdminKey adminKey(String configured) {
        URI local = URI.create("http://127.0.0.1:1");
        return new AdminKey(new GatewayProperties(configured,
                new GatewayProperties.Services(local, local, local, local, local),
                Duration.ofSeconds(30), Duration.ofSeconds(2), DataSize.ofMegabytes(1)));
    }

    @Test
    void matchesOnlyTheConfiguredKey() {
        AdminKey key = adminKey("s3cret-admin-key");

        assertThat(key.matches("s3cret-admin-key")).isTrue();
        assertThat(key.matches("s3cret-admin-ke")).isFalse();
        assertThat(key.matches("s3cret-admin-key ")).isFalse();
        assertThat(key.matches("")).isFalse();
        assertThat(key.matches(null)).isFalse();
    }

    @Test
    void matchesNothingWhenNoKeyIsConfigured() {
        for (String unset : new String[] {"", "   ", null}) {
            AdminKey key = adminKey(unset);
            assertThat(key.isConfigured()).isFalse();
            assertThat(key.matches("")).isFalse();
            assertThat(key.matches("admin")).isFalse();
        }
    }
}
