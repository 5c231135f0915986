package dev.concierge.gateway.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class CredentialsTest {

    @Test
    void readsBearerTokenAndWidgetKey() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, "bearer  ck_live_abc ");
        headers.set("X-Widget-Key", "cw_xyz");

        Credentials credentials = Credentials.from(headers);

        assertThat(credentials.bearer()).isEqualTo("ck_live_abc");
        assertThat(credentials.widgetKey()).isEqualTo("cw_xyz");
        assertThat(credentials.toString()).doesNotContain("abc").doesNotContain("xyz");
    }

    @Test
    void ignoresOtherSchemesAndBlankValues() {
        assertThat(Credentials.bearerToken("Basic YWRtaW46YWRtaW4=")).isNull();
        assertThat(Credentials.bearerToken("Bearer ")).isNull();
        assertThat(Credentials.bearerToken("Bearer    ")).isNull();
        assertThat(Credentials.bearerToken("Bearerabc")).isNull();
        assertThat(Credentials.bearerToken(null)).isNull();
    }
}
