package dev.concierge.commerce.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private final byte[] key = new byte[32];
    private final CredentialCipher cipher;

    CredentialCipherTest() {
        Arrays.fill(key, (byte) 7);
        cipher = new CredentialCipher(key);
    }

    @Test
    void sealsWithAFreshNonceEachTimeAndOpensAgain() {
        String a = cipher.seal("cs_secret", "t1", "consumer_secret");
        String b = cipher.seal("cs_secret", "t1", "consumer_secret");
        assertThat(a).isNotEqualTo(b).doesNotContain("cs_secret");
        assertThat(Base64.getDecoder().decode(a)).hasSize(12 + "cs_secret".length() + 16);
        assertThat(cipher.open(a, "t1", "consumer_secret")).isEqualTo("cs_secret");
    }

    @Test
    void refusesValuesMovedToAnotherTenantOrColumnOrSealedUnderAnotherKey() {
        String sealed = cipher.seal("cs_secret", "t1", "consumer_secret");
        assertThatThrownBy(() -> cipher.open(sealed, "t2", "consumer_secret")).isInstanceOf(CredentialCipher.Unreadable.class);
        assertThatThrownBy(() -> cipher.open(sealed, "t1", "consumer_key")).isInstanceOf(CredentialCipher.Unreadable.class);
        byte[] other = new byte[32];
        assertThatThrownBy(() -> new CredentialCipher(other).open(sealed, "t1", "consumer_secret"))
                .isInstanceOf(CredentialCipher.Unreadable.class);
    }

    @Test
    void rejectsKeysThatAreNot32Bytes() {
        assertThatThrownBy(() -> new CredentialCipher(new byte[16])).hasMessageContaining("32 bytes");
    }
}
