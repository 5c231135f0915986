package dev.concierge.chat.conversation;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.conversation.internal.ConversationRepository;
import dev.concierge.chat.privacy.Pii;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Expires conversations idle for longer than the session TTL without waiting for their next message, forgets
 * their messages' private originals, and announces each on chat.conversation-updated.v1 (status
 * {@code expired}). Each sweep also forgets originals a message racing its conversation's expiry left behind. A session's next message would expire it too (see {@link ChatService}); whichever comes
 * first reports it, once. Several instances may sweep at the same time: each conversation is expired by one.
 */
@Component
class ConversationExpiry {

    private static final Logger log = LoggerFactory.getLogger(ConversationExpiry.class);
    static final int BATCH = 500;

    private final ConversationRepository conversations;
    private final ConversationUpdatedPublisher updates;
    private final ChatProperties props;

    ConversationExpiry(ConversationRepository conversations, ConversationUpdatedPublisher updates, ChatProperties props) {
        this.conversations = conversations;
        this.updates = updates;
        this.props = props;
    }

    /** Spring waits for the returned Mono before scheduling the next sweep (fixed delay). */
    @Scheduled(initialDelayString = "${concierge.chat.expiry-sweep}", fixedDelayString = "${concierge.chat.expiry-sweep}")
    Mono<Void> sweep() {
        return expireAll().flatMap(n -> conversations.scrubExpired().thenReturn(n))
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("expired {} idle conversation(s)", n);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("expiry sweep failed, next one in {}: {}", props.expirySweep(), Pii.describe(e));
                    return Mono.empty();
                })
                .then();
    }

    /** Expires in batches until no idle conversation is left; emits how many it expired. */
    Mono<Long> expireAll() {
        return batch().expand(n -> n == BATCH ? batch() : Mono.empty()).reduce(0L, Long::sum);
    }

    private Mono<Long> batch() {
        return conversations.expireIdle(props.sessionTtl(), BATCH).concatMap(c -> updates.expired(c).thenReturn(c)).count();
    }
}
