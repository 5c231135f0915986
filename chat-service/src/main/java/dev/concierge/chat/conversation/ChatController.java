package dev.concierge.chat.conversation;

import dev.concierge.chat.retrieval.Passage;
import dev.concierge.kit.web.BadRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/chat}. The gateway has checked the widget key (or api key) and put the tenant in
 * {@code X-Tenant-Id}. Without a {@code session_id} a new session is started and its id returned.
 */
@RestController
class ChatController {

    static final int MAX_MESSAGE_LENGTH = 4_000;
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ChatService chat;

    ChatController(ChatService chat) {
        this.chat = chat;
    }

    record ChatRequest(String message, String sessionId, String domain) {
    }

    record Source(String url, String title, String snippet, double score) {
    }

    record ChatResponse(String sessionId, String conversationId, String message, List<Source> sources, boolean grounded) {
    }

    @PostMapping("/api/chat")
    Mono<ChatResponse> chat(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                            @RequestBody(required = false) ChatRequest request) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        if (request == null) {
            throw BadRequest.of("message", "a JSON body with a message is required");
        }
        String message = request.message() == null ? "" : request.message().strip();
        if (message.isEmpty()) {
            throw BadRequest.of("message", "must not be empty");
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw BadRequest.of("message", "must be at most " + MAX_MESSAGE_LENGTH + " characters");
        }
        String sessionId = request.sessionId() == null || request.sessionId().isBlank()
                ? UUID.randomUUID().toString() : request.sessionId().strip();
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw BadRequest.of("session_id", "must be 1 to 128 letters, digits or . _ : -");
        }
        return chat.chat(tenantId, sessionId, message).map(r -> new ChatResponse(r.sessionId(), r.conversationId(),
                r.message(), sources(r.sources()), r.grounded()));
    }

    /** One source per page, in the order the answer relies on them, with the best passage's snippet and score. */
    static List<Source> sources(List<Passage> passages) {
        Map<String, Source> byUrl = new LinkedHashMap<>();
        for (Passage p : passages) {
            byUrl.merge(p.url(), new Source(p.url(), p.title(), p.snippet(), p.score()),
                    (a, b) -> a.score() >= b.score() ? a : b);
        }
        return new ArrayList<>(byUrl.values());
    }
}
