package dev.concierge.chat.conversation;

import dev.concierge.chat.conversation.internal.ConversationRepository.Conversation;
import dev.concierge.chat.privacy.Pii;
import dev.concierge.contracts.ConversationUpdated;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a conversation's state on chat.conversation-updated.v1 when it starts, after each message and when
 * it expires. The change is already stored when this runs, and nobody waits on the broker: a failed send is
 * logged, not turned into a failed chat or a failed sweep.
 */
@Component
class ConversationUpdatedPublisher {

    private static final Logger log = LoggerFactory.getLogger(ConversationUpdatedPublisher.class);

    private final EventPublisher events;

    ConversationUpdatedPublisher(EventPublisher events) {
        this.events = events;
    }

    Mono<Void> started(Conversation c) {
        return publish(event(c, ConversationUpdated.STARTED, c.createdAt()));
    }

    Mono<Void> message(Conversation c) {
        return publish(event(c, ConversationUpdated.MESSAGE, c.lastActivityAt()));
    }

    Mono<Void> expired(Conversation c) {
        return publish(event(c, ConversationUpdated.EXPIRED, Instant.now()));
    }

    private static ConversationUpdated event(Conversation c, String change, Instant at) {
        return new ConversationUpdated(c.tenantId(), c.id().toString(), c.sessionId(), c.status(), change,
                c.messageCount(), c.createdAt(), c.lastActivityAt(), at);
    }

    private Mono<Void> publish(ConversationUpdated event) {
        return Mono.fromRunnable(() -> events.publish(Topics.CONVERSATION_UPDATED,
                EventKeys.conversation(event.tenantId(), event.conversationId()), event).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("update ({}) of conversation {} not published: {}", event.change(),
                                event.conversationId(), Pii.describe(e));
                    }
                })).subscribeOn(Schedulers.boundedElastic()).then(); // send() may wait for metadata: never on an I/O thread
    }
}
