package dev.concierge.chat.conversation;

import dev.concierge.chat.retrieval.Passage;
import dev.concierge.kit.web.BadRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/chat}. The gateway has checked the widget key (or api key) and put the tenant in
 * {@code X-Tenant-Id}. Without a {@code session_id} a new session is started and its id returned.
 *
 * <p>The body is parsed here rather than bound by the framework, so that every bad input (malformed JSON, a
 * field of the wrong type, an empty or overlong message, a bad session id) is a 400 problem+json naming the
 * field, and nothing is silently coerced ({@code "message": 42} is not the question "42").
 * {@code POST /api/chat/stream} takes the same body and answers with Server-Sent Events.
 */
@RestController
class ChatController {

    static final int MAX_MESSAGE_LENGTH = 4_000;
    static final int MAX_SESSION_ID_LENGTH = 128;
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_SESSION_ID_LENGTH + "}");

    private final ChatService chat;
    private final JsonMapper json;

    ChatController(ChatService chat, JsonMapper json) {
        this.chat = chat;
        this.json = json;
    }

    record ChatRequest(String message, String sessionId) {
    }

    record Source(String url, String title, String snippet, double score) {
    }

    record ChatResponse(String sessionId, String conversationId, String message, List<Source> sources, boolean grounded) {
    }

    @PostMapping(path = "/api/chat", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    Mono<ChatResponse> chat(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                            @RequestBody(required = false) String body) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        ChatRequest request = parse(body);
        return chat.chat(tenantId, request.sessionId(), request.message()).map(ChatController::response);
    }

    record Delta(String text) {
    }

    /** Heartbeat on a stream that has been quiet this long, for proxies that close idle connections. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /**
     * {@code POST /api/chat/stream}: the same request and validation as {@code POST /api/chat} (bad input is a
     * 4xx problem+json before any stream starts), answered with Server-Sent Events: {@code delta} events
     * ({@code {"text":"..."}}, the answer's text in order), then one {@code done} event whose data is the
     * {@code POST /api/chat} response, or one {@code error} event (problem-like data) when the turn fails after
     * the stream started. A {@code : ping} comment is sent every {@link #HEARTBEAT} while the stream lasts.
     */
    @PostMapping(path = "/api/chat/stream", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    ResponseEntity<Flux<ServerSentEvent<Object>>> stream(@RequestHeader(name = "X-Tenant-Id", required = false) String tenantId,
                                                       @RequestBody(required = false) String body) {
        if (tenantId == null || tenantId.isBlank()) {
            throw BadRequest.of("domain", "the request names no tenant: call through the gateway with a domain");
        }
        ChatRequest request = parse(body);
        Flux<ServerSentEvent<Object>> events = chat.stream(tenantId, request.sessionId(), request.message())
                .map(ChatController::event);
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no") // nginx (and ingress-nginx) would buffer the events otherwise
                .body(withHeartbeat(events, HEARTBEAT));
    }

    /** {@code events} with a {@code : ping} comment after every {@code every} they last; ends when they end. */
    static Flux<ServerSentEvent<Object>> withHeartbeat(Flux<ServerSentEvent<Object>> events, Duration every) {
        // merge's output is serialised: cutting it right after the last event ("done" or "error") drops a ping
        // that the interval emitted while that event was on its way
        return events.publish(shared -> Flux.merge(shared,
                        Flux.interval(every, every).map(i -> ServerSentEvent.<Object>builder().comment("ping").build())
                                .takeUntilOther(shared.then(Mono.just(true))))
                .takeUntil(e -> "done".equals(e.event()) || "error".equals(e.event())));
    }

    /**
     * Bad input is problem+json whatever the caller accepts: a caller of the stream accepts text/event-stream,
     * which would otherwise carry the problem as an event. Same body as service-kit's {@code ProblemAdvice}.
     */
    @ExceptionHandler(BadRequest.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("https://concierge.dev/problems/invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", e.errors());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ServerSentEvent<Object> event(ChatService.Streamed item) {
        if (item instanceof ChatService.Delta d) {
            return ServerSentEvent.<Object>builder().event("delta").data(new Delta(d.text())).build();
        }
        if (item instanceof ChatService.Done d) {
            return ServerSentEvent.<Object>builder().event("done").data(response(d.reply())).build();
        }
        return ServerSentEvent.<Object>builder().event("error").data(problem((ChatService.Failed) item)).build();
    }

    private static ChatResponse response(ChatService.Reply r) {
        return new ChatResponse(r.sessionId(), r.conversationId(), r.message(), sources(r.sources()), r.grounded());
    }

    /** Problem-like (RFC 9457 members) with the session and, once opened, the conversation. */
    private static Map<String, Object> problem(ChatService.Failed f) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", f.interrupted() ? "https://concierge.dev/problems/answer-interrupted"
                : "https://concierge.dev/problems/chat-failed");
        problem.put("title", f.interrupted() ? "Answer interrupted" : "Chat failed");
        problem.put("status", f.interrupted() ? 502 : 500);
        problem.put("detail", f.detail());
        problem.put("session_id", f.sessionId());
        problem.put("conversation_id", f.conversationId());
        return problem;
    }

    /**
     * The request, validated: {@code message} a non-blank string of at most {@value #MAX_MESSAGE_LENGTH}
     * characters (after trimming), {@code session_id} absent (a new session) or 1 to 128 letters, digits or
     * {@code . _ : -}, {@code domain} (read by the gateway) a string if present. Unknown fields are ignored.
     *
     * @throws BadRequest naming every offending field
     */
    ChatRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw BadRequest.of("message", "a JSON body with a message is required");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw BadRequest.of("body", "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw BadRequest.of("body", "must be a JSON object");
        }
        List<Map<String, String>> errors = new ArrayList<>();
        String message = string(root, "message", errors);
        String sessionId = string(root, "session_id", errors);
        string(root, "domain", errors);
        if (message != null) {
            message = message.strip();
            if (message.isEmpty()) {
                errors.add(error("message", "must not be empty"));
            } else if (message.codePointCount(0, message.length()) > MAX_MESSAGE_LENGTH) {
                errors.add(error("message", "must be at most " + MAX_MESSAGE_LENGTH + " characters"));
            } else if (message.indexOf('\u0000') >= 0) {
                errors.add(error("message", "must not contain NUL characters"));
            }
        } else if (errors.stream().noneMatch(e -> e.get("field").equals("message"))) {
            errors.add(error("message", "is required"));
        }
        if (sessionId == null || sessionId.isBlank()) {
            sessionId = UUID.randomUUID().toString();
        } else if (!SESSION_ID.matcher(sessionId.strip()).matches()) {
            errors.add(error("session_id", "must be 1 to " + MAX_SESSION_ID_LENGTH + " letters, digits or . _ : -"));
        }
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? errors.get(0).get("field") + ": " + errors.get(0).get("message")
                    : "invalid fields: " + String.join(", ", errors.stream().map(e -> e.get("field")).toList());
            throw new BadRequest(detail, errors);
        }
        return new ChatRequest(message, sessionId.strip());
    }

    /** The field's text; null when absent or null; an error when it is not a string. */
    private static String string(JsonNode root, String field, List<Map<String, String>> errors) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(error(field, "must be a string"));
            return null;
        }
        return value.asString();
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
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
