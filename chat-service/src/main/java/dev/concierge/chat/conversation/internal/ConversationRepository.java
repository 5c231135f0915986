package dev.concierge.chat.conversation.internal;

import dev.concierge.chat.conversation.Turn;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class ConversationRepository {

    private final DatabaseClient db;

    public ConversationRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The session's active conversation, or a new one. A conversation idle for longer than {@code ttl}
     * is closed first, so an old session id starts afresh. Two concurrent first messages of one session
     * end up in the same conversation (the partial unique index decides, the loser re-reads).
     */
    public Mono<UUID> activeConversation(String tenantId, String sessionId, Duration ttl) {
        Mono<Void> expire = db.sql("""
                        update conversations set status = 'expired'
                        where tenant_id = :tenant and session_id = :session and status = 'active'
                          and last_activity_at < now() - make_interval(secs => :ttl)
                        """)
                .bind("tenant", tenantId).bind("session", sessionId).bind("ttl", (double) ttl.toSeconds())
                .fetch().rowsUpdated().then();
        Mono<UUID> insert = db.sql("""
                        insert into conversations (id, tenant_id, session_id) values (:id, :tenant, :session)
                        on conflict (tenant_id, session_id) where status = 'active' do nothing
                        """)
                .bind("id", UUID.randomUUID()).bind("tenant", tenantId).bind("session", sessionId)
                .fetch().rowsUpdated().then(find(tenantId, sessionId));
        return expire.then(find(tenantId, sessionId)).switchIfEmpty(insert);
    }

    private Mono<UUID> find(String tenantId, String sessionId) {
        return db.sql("select id from conversations where tenant_id = :tenant and session_id = :session and status = 'active'")
                .bind("tenant", tenantId).bind("session", sessionId)
                .map(r -> r.get("id", UUID.class)).one();
    }

    /** The last {@code turns} messages, oldest first. */
    public Mono<List<Turn>> history(UUID conversationId, int turns) {
        return db.sql("""
                        select role, content from (
                            select role, content, created_at from messages where conversation_id = :c
                            order by created_at desc limit :n) last order by created_at
                        """)
                .bind("c", conversationId).bind("n", turns)
                .map(r -> new Turn(r.get("role", String.class), r.get("content", String.class)))
                .all().collectList();
    }

    public Mono<Void> append(UUID conversationId, UUID messageId, String role, String content, Boolean grounded,
                             String sourcesJson) {
        var spec = db.sql("""
                        insert into messages (id, conversation_id, role, content, grounded, sources, created_at)
                        values (:id, :c, :role, :content, :grounded, cast(:sources as jsonb), clock_timestamp())
                        """)
                .bind("id", messageId).bind("c", conversationId).bind("role", role).bind("content", content)
                .bind("sources", sourcesJson);
        spec = grounded == null ? spec.bindNull("grounded", Boolean.class) : spec.bind("grounded", grounded);
        return spec.fetch().rowsUpdated()
                .then(db.sql("update conversations set last_activity_at = now() where id = :c")
                        .bind("c", conversationId).fetch().rowsUpdated())
                .then();
    }
}
