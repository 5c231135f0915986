package dev.concierge.chat.conversation.internal;

import dev.concierge.chat.conversation.Turn;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ConversationRepository {

    private static final String COLUMNS = "id, tenant_id, session_id, status, message_count, created_at, last_activity_at";
    /** Expiring a conversation also forgets the original text of its messages: only the redacted text stays. */
    private static final String SCRUB_AND_RETURN = """
            , scrubbed as (
                update messages m set content_private = null from expired e
                where m.conversation_id = e.id and m.content_private is not null)
            select * from expired
            """;

    private final DatabaseClient db;

    public ConversationRepository(DatabaseClient db) {
        this.db = db;
    }

    /** A conversation as stored. {@code status} is {@code active} or {@code expired}. */
    public record Conversation(UUID id, String tenantId, String sessionId, String status, int messageCount,
                               Instant createdAt, Instant lastActivityAt) {
    }

    /** The session's active conversation; {@code started} when this call created it. */
    public record Opened(Conversation conversation, boolean started) {
    }

    /** A message of a transcript; {@code sources} and {@code toolCalls} are the stored JSON arrays. */
    public record StoredMessage(UUID id, String role, String content, Boolean grounded, String sources,
                                String toolCalls, Instant createdAt) {
    }

    /**
     * Expires the session's active conversation if it has been idle for longer than {@code ttl}, so an old
     * session id starts afresh. Emits the conversation it expired, if any.
     */
    public Flux<Conversation> expireIdle(String tenantId, String sessionId, Duration ttl) {
        return db.sql("""
                        with expired as (
                            update conversations set status = 'expired'
                            where tenant_id = :tenant and session_id = :session and status = 'active'
                              and last_activity_at < now() - make_interval(secs => :ttl)
                            returning %s)
                        """.formatted(COLUMNS) + SCRUB_AND_RETURN)
                .bind("tenant", tenantId).bind("session", sessionId).bind("ttl", (double) ttl.toSeconds())
                .map(ConversationRepository::conversation).all();
    }

    /**
     * Expires up to {@code limit} conversations of any tenant idle for longer than {@code ttl}, oldest first.
     * Rows another instance is expiring at the same moment are skipped, so each expiry is reported once.
     */
    public Flux<Conversation> expireIdle(Duration ttl, int limit) {
        return db.sql("""
                        with expired as (
                            update conversations set status = 'expired'
                            where status = 'active' and id in (
                                select id from conversations
                                where status = 'active' and last_activity_at < now() - make_interval(secs => :ttl)
                                order by last_activity_at limit :limit
                                for update skip locked)
                            returning %s)
                        """.formatted(COLUMNS) + SCRUB_AND_RETURN)
                .bind("ttl", (double) ttl.toSeconds()).bind("limit", limit)
                .map(ConversationRepository::conversation).all();
    }

    /**
     * Forgets the private originals still kept in expired conversations: those of a message stored while its
     * conversation was being expired, which the expiry's own scrub could not see yet.
     *
     * @return how many messages were scrubbed
     */
    public Mono<Long> scrubExpired() {
        return db.sql("""
                        update messages m set content_private = null
                        from conversations c
                        where c.id = m.conversation_id and c.status = 'expired' and m.content_private is not null
                        """)
                .fetch().rowsUpdated();
    }

    /**
     * The session's active conversation, or a new one. Two concurrent first messages of one session end up in
     * the same conversation (the partial unique index decides, the loser re-reads), and only one of them
     * reports it as started.
     */
    public Mono<Opened> open(String tenantId, String sessionId) {
        Mono<Opened> existing = Mono.defer(() -> active(tenantId, sessionId).map(c -> new Opened(c, false)));
        Mono<Opened> created = db.sql("""
                        insert into conversations (id, tenant_id, session_id) values (:id, :tenant, :session)
                        on conflict (tenant_id, session_id) where status = 'active' do nothing
                        returning %s
                        """.formatted(COLUMNS))
                .bind("id", UUID.randomUUID()).bind("tenant", tenantId).bind("session", sessionId)
                .map(ConversationRepository::conversation).one()
                .map(c -> new Opened(c, true));
        return existing.switchIfEmpty(created).switchIfEmpty(existing);
    }

    private Mono<Conversation> active(String tenantId, String sessionId) {
        return db.sql("select " + COLUMNS + " from conversations where tenant_id = :tenant and session_id = :session and status = 'active'")
                .bind("tenant", tenantId).bind("session", sessionId)
                .map(ConversationRepository::conversation).one();
    }

    /** A conversation's summary of its first {@code upto} messages; text null and upto 0 before the first. */
    public record Summary(String text, int upto) {
    }

    public Mono<Summary> summary(UUID conversationId) {
        return db.sql("select summary, summary_upto from conversations where id = :c").bind("c", conversationId)
                .map(r -> new Summary(r.get("summary", String.class), r.get("summary_upto", Integer.class)))
                .one().defaultIfEmpty(new Summary(null, 0));
    }

    /** The messages after the first {@code skip}, oldest first, redacted as stored. */
    public Mono<List<Turn>> turnsAfter(UUID conversationId, int skip) {
        return db.sql("select role, content from messages where conversation_id = :c order by created_at offset :skip")
                .bind("c", conversationId).bind("skip", skip)
                .map(r -> new Turn(r.get("role", String.class), r.get("content", String.class)))
                .all().collectList();
    }

    /** Stores the summary of the conversation's first {@code upto} messages (never moving backwards). */
    public Mono<Void> saveSummary(UUID conversationId, String summary, int upto) {
        return db.sql("update conversations set summary = :s, summary_upto = :upto where id = :c and summary_upto <= :upto")
                .bind("s", summary).bind("upto", upto).bind("c", conversationId).then();
    }

    /**
     * The shopper's last {@code n} messages as written (the private original where personal data was
     * redacted), newest first: what the agent's tools need, e.g. an e-mail address given two turns ago.
     */
    public Mono<List<String>> userMessagesAsWritten(UUID conversationId, int n) {
        return db.sql("""
                        select coalesce(content_private, content) as text from messages
                         where conversation_id = :c and role = 'user' order by created_at desc limit :n
                        """)
                .bind("c", conversationId).bind("n", n)
                .map(r -> r.get("text", String.class))
                .all().collectList();
    }

    /**
     * Stores a message and counts it on its conversation, in one statement. {@code contentPrivate} is the
     * original text when {@code content} had personal data redacted, otherwise null.
     *
     * @return the conversation after the message
     */
    public Mono<Conversation> append(UUID conversationId, UUID messageId, String role, String content,
                                     String contentPrivate, Boolean grounded, String sourcesJson, String toolCallsJson) {
        var spec = db.sql("""
                        with inserted as (
                            insert into messages (id, conversation_id, role, content, content_private, grounded, sources,
                                                  tool_calls, created_at)
                            values (:id, :c, :role, :content, :private, :grounded, cast(:sources as jsonb),
                                    cast(:tools as jsonb), clock_timestamp())
                            returning conversation_id, created_at)
                        update conversations c set last_activity_at = i.created_at, message_count = c.message_count + 1
                        from inserted i where c.id = i.conversation_id
                        returning c.id, c.tenant_id, c.session_id, c.status, c.message_count, c.created_at, c.last_activity_at
                        """)
                .bind("id", messageId).bind("c", conversationId).bind("role", role).bind("content", content)
                .bind("sources", sourcesJson).bind("tools", toolCallsJson);
        spec = contentPrivate == null ? spec.bindNull("private", String.class) : spec.bind("private", contentPrivate);
        spec = grounded == null ? spec.bindNull("grounded", Boolean.class) : spec.bind("grounded", grounded);
        return spec.map(ConversationRepository::conversation).one();
    }

    /** The conversation, if it exists and belongs to {@code tenantId} (any tenant's when that is null). */
    public Mono<Conversation> find(UUID id, String tenantId) {
        if (tenantId == null) {
            return db.sql("select " + COLUMNS + " from conversations where id = :id")
                    .bind("id", id).map(ConversationRepository::conversation).one();
        }
        return db.sql("select " + COLUMNS + " from conversations where id = :id and tenant_id = :tenant")
                .bind("id", id).bind("tenant", tenantId).map(ConversationRepository::conversation).one();
    }

    /** The conversation's messages in the order they were posted; never the private original text. */
    public Flux<StoredMessage> messages(UUID conversationId) {
        return db.sql("""
                        select id, role, content, grounded, sources::text as sources, tool_calls::text as tool_calls, created_at
                        from messages where conversation_id = :c order by created_at, id
                        """)
                .bind("c", conversationId)
                .map(r -> new StoredMessage(r.get("id", UUID.class), r.get("role", String.class),
                        r.get("content", String.class), r.get("grounded", Boolean.class), r.get("sources", String.class),
                        r.get("tool_calls", String.class), r.get("created_at", Instant.class)))
                .all();
    }

    private static Conversation conversation(Readable r) {
        return new Conversation(r.get("id", UUID.class), r.get("tenant_id", String.class), r.get("session_id", String.class),
                r.get("status", String.class), r.get("message_count", Integer.class), r.get("created_at", Instant.class),
                r.get("last_activity_at", Instant.class));
    }
}
