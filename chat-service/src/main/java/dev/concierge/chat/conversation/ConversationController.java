package dev.concierge.chat.conversation;

import dev.concierge.chat.conversation.internal.ConversationRepository.Conversation;
import dev.concierge.chat.conversation.internal.ConversationRepository.StoredMessage;
import dev.concierge.chat.conversation.internal.ConversationRepository;
import dev.concierge.chat.retrieval.Passage;
import dev.concierge.chat.tools.ToolCall;
import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/conversations/{id}}: the transcript of one conversation, for the store (tenant api_key; the
 * gateway puts the tenant in {@code X-Tenant-Id}). Messages are shown as stored, with personal data redacted;
 * the private original text is never returned. Another tenant's conversation is "not found", exactly like one
 * that does not exist. The admin key without a domain may read any tenant's conversation; widget keys none.
 */
@RestController
class ConversationController {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final TypeReference<List<Passage>> PASSAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<ToolCall>> TOOL_CALLS = new TypeReference<>() {
    };

    private final ConversationRepository conversations;
    private final JsonMapper json;

    ConversationController(ConversationRepository conversations, JsonMapper json) {
        this.conversations = conversations;
        this.json = json;
    }

    record Transcript(String conversationId, String sessionId, String status, Instant createdAt,
                      Instant lastActivityAt, int messageCount, List<TranscriptMessage> messages) {
    }

    /** {@code grounded} is null for user messages; {@code toolCalls} the tools run for this message. */
    record TranscriptMessage(String messageId, String role, String content, Boolean grounded,
                             List<ChatController.Source> sources, List<ToolCall> toolCalls, Instant createdAt) {
    }

    @GetMapping("/api/conversations/{id}")
    Mono<Transcript> transcript(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                @RequestHeader(name = "X-Concierge-Role", required = false) String role,
                                @PathVariable("id") String id) {
        if ("widget".equalsIgnoreCase(role)) {
            throw problem(HttpStatus.FORBIDDEN, "forbidden", "transcripts need the store's api_key, not the widget key");
        }
        boolean tenantless = tenantId == null || tenantId.isBlank();
        if (tenantless && !"admin".equalsIgnoreCase(role)) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw BadRequest.of("id", "must be a conversation id (a UUID)");
        }
        UUID conversationId = UUID.fromString(id);
        return conversations.find(conversationId, tenantless ? null : tenantId)
                .switchIfEmpty(Mono.error(() -> problem(HttpStatus.NOT_FOUND, "not-found", "no conversation " + id)))
                .flatMap(c -> conversations.messages(c.id()).map(this::message).collectList()
                        .map(messages -> transcript(c, messages)));
    }

    private static Transcript transcript(Conversation c, List<TranscriptMessage> messages) {
        return new Transcript(c.id().toString(), c.sessionId(), c.status(), c.createdAt(), c.lastActivityAt(),
                c.messageCount(), messages);
    }

    private TranscriptMessage message(StoredMessage m) {
        return new TranscriptMessage(m.id().toString(), m.role(), m.content(), m.grounded(),
                ChatController.sources(json.readValue(m.sources(), PASSAGES)), json.readValue(m.toolCalls(), TOOL_CALLS),
                m.createdAt());
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://concierge.dev/problems/" + type));
        problem.setTitle(status.getReasonPhrase());
        return new ErrorResponseException(status, problem, null);
    }
}
