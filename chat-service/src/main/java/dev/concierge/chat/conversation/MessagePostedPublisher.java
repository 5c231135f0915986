package dev.concierge.chat.conversation;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.MessagePosted;
import dev.concierge.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes every message on chat.message-posted.v1. The message is already stored when this runs, and
 * the shopper's answer does not wait on the broker: a failed send is logged, not turned into a failed chat.
 */
@Component
class MessagePostedPublisher {

    private static final Logger log = LoggerFactory.getLogger(MessagePostedPublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;

    MessagePostedPublisher(KafkaTemplate<String, String> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    Mono<Void> publish(MessagePosted event) {
        var record = new ProducerRecord<>(Topics.MESSAGE_POSTED.name(),
                EventKeys.conversation(event.tenantId(), event.conversationId()), json.writeValueAsString(event));
        CloudEventHeaders.of(Topics.MESSAGE_POSTED, "chat-service").forEach((k, v) -> record.headers().add(k, v));
        return Mono.fromRunnable(() -> kafka.send(record).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("message {} of conversation {} not published: {}", event.messageId(), event.conversationId(), e.toString());
            }
        }));
    }
}
