package dev.concierge.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TenantKeysTest {

    private static final String BASE64URL_43 = "[A-Za-z0-9_-]{43}";

    @Test
    void apiKeysAreCkLivePlus32RandomBytesInBase64Url() {
        assertThat(TenantKeys.newApiKey()).matches("ck_live_" + BASE64URL_43);
    }

    @Test
    void widgetKeysAreCwPlus32RandomBytesInBase64Url() {
        assertThat(TenantKeys.newWidgetKey()).matches("cw_" + BASE64URL_43);
    }

    @Test
    void neverRepeatsAKey() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            keys.add(TenantKeys.newApiKey());
            keys.add(TenantKeys.newWidgetKey());
        }
        assertThat(keys).hasSize(2_000);
    }

    @Test
    void hashesWithSha256InLowerCaseHex() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(TenantKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String key = TenantKeys.newApiKey();
        assertThat(TenantKeys.hash(key)).isEqualTo(TenantKeys.hash(key)).hasSize(64).doesNotContain(key);
    }

    @Test
    void showsOnlyTheTypeAndFourCharactersOfAKey() {
        assertThat(TenantKeys.displayPrefix("ck_live_AbCdEfGh")).isEqualTo("ck_live_AbCd");
        assertThat(TenantKeys.displayPrefix("cw_AbCdEfGh")).isEqualTo("cw_AbCd");
    }
}
