package dev.concierge.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.concierge.gateway.config.TenantSecretsProperties;

class TenantSecretsTest {

    private static final String KEY = "sk-tenant-secret-0123456789";

    @Test
    void opensWhatItSealedForTheSameTenantOnly() {
        TenantSecrets secrets = new TenantSecrets(new TenantSecretsProperties(null));

        String sealed = secrets.encrypt(KEY, "tenant-a");

        assertThat(sealed).doesNotContain(KEY);
        assertThat(Base64.getDecoder().decode(sealed)).hasSize(12 + KEY.length() + 16);
        assertThat(secrets.decrypt(sealed, "tenant-a")).isEqualTo(KEY);
        assertThatThrownBy(() -> secrets.decrypt(sealed, "tenant-b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(KEY);
    }

    @Test
    void sealsWithAFreshNonceEachTime() {
        TenantSecrets secrets = new TenantSecrets(new TenantSecretsProperties(""));

        assertThat(secrets.encrypt(KEY, "t")).isNotEqualTo(secrets.encrypt(KEY, "t"));
    }

    @Test
    void refusesAlteredValuesAndOtherKeys() {
        TenantSecrets secrets = new TenantSecrets(new TenantSecretsProperties(null));
        byte[] sealed = Base64.getDecoder().decode(secrets.encrypt(KEY, "t"));
        sealed[sealed.length - 1] ^= 1;
        String other = Base64.getEncoder().encodeToString(new byte[32]);

        assertThatThrownBy(() -> secrets.decrypt(Base64.getEncoder().encodeToString(sealed), "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantSecrets(new TenantSecretsProperties(other)).decrypt(secrets.encrypt(KEY, "t"), "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantSecrets(new TenantSecretsProperties("c2hvcnQ="))).isInstanceOf(IllegalStateException.class);
    }
}
