package dev.concierge.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderDetailsTest {

    @Test
    void findsTheOrderNumberAndEmail() {
        OrderDetails d = OrderDetails.from("Where is order #10482? I ordered with Ann.DeVries@Example.com");
        assertThat(d.orderNumber()).isEqualTo("10482");
        assertThat(d.email()).isEqualTo("ann.devries@example.com");
        assertThat(d.complete()).isTrue();
        assertThat(OrderDetails.from("order number 5531").orderNumber()).isEqualTo("5531");
        assertThat(OrderDetails.from("it's 10482").orderNumber()).isEqualTo("10482");
    }

    @Test
    void pricesAndEmailDigitsAreNoOrderNumbers() {
        assertThat(OrderDetails.from("I paid €59 for it").orderNumber()).isNull();
        assertThat(OrderDetails.from("it cost 59.95 in total").orderNumber()).isNull();
        assertThat(OrderDetails.from("mail me at ann1984@example.com").orderNumber()).isNull();
        assertThat(OrderDetails.from("hello").complete()).isFalse();
        assertThat(OrderDetails.from("call me on +31 6 12345678 about order 5531").orderNumber()).isEqualTo("5531");
        assertThat(OrderDetails.from("my card 4111 1111 1111 1111 was charged twice").orderNumber()).isNull();
    }

    @Test
    void laterMessagesWinAndEarlierOnesFillGaps() {
        OrderDetails d = OrderDetails.fromMessages(List.of("ann@example.com", "where is my order 1234?", "order 999"));
        assertThat(d.orderNumber()).isEqualTo("1234");
        assertThat(d.email()).isEqualTo("ann@example.com");
    }
}
