package dev.concierge.chat.conversation.internal;

import dev.concierge.chat.privacy.Pii;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Flyway migration 3, named the way Flyway reads its version (a bean: Spring Boot hands {@code JavaMigration}
 * beans to Flyway, and this way it lives with the repository it migrates). Messages stored before
 * version 2 kept the shopper's text as typed. Their {@code content} is redacted like every new message's; the
 * original stays in {@code content_private} only for user messages of conversations that are still active.
 * Assistant messages keep what their own sources published (the store's contact details).
 */
@Component
public class V3__Redact_stored_messages extends BaseJavaMigration {

    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws SQLException {
        redact(context.getConnection());
    }

    /** Redacts every stored message that is not yet redacted; returns how many changed. */
    static int redact(Connection connection) throws SQLException {
        int changed = 0;
        try (PreparedStatement read = connection.prepareStatement("""
                     select m.id, m.role, m.content, m.sources::text, c.status
                     from messages m join conversations c on c.id = m.conversation_id
                     where m.content_private is null""");
             PreparedStatement write = connection.prepareStatement(
                     "update messages set content = ?, content_private = ? where id = ?")) {
            read.setFetchSize(BATCH); // a cursor, not the whole table in memory (Flyway runs this in a transaction)
            try (ResultSet rows = read.executeQuery()) {
                int pending = 0;
                while (rows.next()) {
                    String content = rows.getString(3);
                    boolean user = "user".equals(rows.getString(2));
                    // The sources' JSON holds the quoted pages' text verbatim, which is what the exemption needs.
                    String redacted = user ? Pii.redact(content) : Pii.redact(content, List.of(rows.getString(4)));
                    if (redacted.equals(content)) {
                        continue;
                    }
                    write.setString(1, redacted);
                    write.setString(2, user && "active".equals(rows.getString(5)) ? content : null);
                    write.setObject(3, rows.getObject(1));
                    write.addBatch();
                    changed++;
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    write.executeBatch();
                }
            }
        }
        return changed;
    }
}
