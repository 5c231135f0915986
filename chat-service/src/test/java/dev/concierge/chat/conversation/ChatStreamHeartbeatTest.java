package dev.concierge.chat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A quiet stream keeps its connection alive with comments, and the heartbeat ends with the stream. */
class ChatStreamHeartbeatTest {

    @Test
    void aQuietStreamIsInterleavedWithPingCommentsThatStopWhenItEnds() {
        Flux<ServerSentEvent<Object>> slow = Mono.delay(Duration.ofMillis(300))
                .map(i -> ServerSentEvent.<Object>builder().event("done").data("{}").build()).flux();

        List<ServerSentEvent<Object>> sent = ChatController.withHeartbeat(slow, Duration.ofMillis(20))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(sent).isNotEmpty();
        assertThat(sent.get(sent.size() - 1).event()).isEqualTo("done");
        assertThat(sent.subList(0, sent.size() - 1)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.comment()).isEqualTo("ping"));
    }

    @Test
    void aStreamThatEndsAtOnceHasNoPing() {
        List<ServerSentEvent<Object>> sent = ChatController.withHeartbeat(
                Flux.just(ServerSentEvent.<Object>builder().event("done").data("{}").build()), Duration.ofSeconds(15))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(sent).extracting(ServerSentEvent::event).containsExactly("done");
    }
}
