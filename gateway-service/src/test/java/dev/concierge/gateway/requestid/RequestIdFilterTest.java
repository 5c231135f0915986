package dev.concierge.gateway.requestid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdFilterTest {

    @Test
    void keepsASaneCallerId() {
        assertThat(RequestIdFilter.accept("req-42.a_b:c")).isEqualTo("req-42.a_b:c");
    }

    @Test
    void replacesMissingOrOddIds() {
        for (String odd : new String[] {null, "", "a b", "x".repeat(129), "id\r\nSet-Cookie: x=1"}) {
            assertThat(RequestIdFilter.accept(odd)).isNotEqualTo(odd).matches("[0-9a-f-]{36}");
        }
    }
}
