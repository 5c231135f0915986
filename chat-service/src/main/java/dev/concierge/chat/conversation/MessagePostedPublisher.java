package dev.concierge.chat.conversation;

import dev.concierge.chat.privacy.Pii;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.MessagePosted;
import dev.concierge.contracts.Topics;
import dev.concierge.kit.events.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes every message on chat.message-posted.v1, with the content as stored: personal data redacted, so
 * subscribers never see it. The message is already stored when this runs, and the shopper's answer does not
 * wait on the broker: a failed send is logged, not turned into a failed chat.
 */
@Component
class MessagePostedPublisher {

    private static final Logger log = LoggerFactory.getLogger(MessagePostedPublisher.class);

    private final EventPublisher events;

    MessagePostedPublisher(EventPublisher events) {
        this.events = events;
    }

    Mono<Void> publish(MessagePosted event) {
        return Mono.fromRunnable(() -> events.publish(Topics.MESSAGE_POSTED,
                EventKeys.conversation(event.tenantId(), event.conversationId()), event).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("message {} of conversation {} not published: {}", event.messageId(),
                                event.conversationId(), Pii.describe(e));
                    }
                })).subscribeOn(Schedulers.boundedElastic()).then(); // send() may wait for metadata: never on an I/O thread
    }
}
