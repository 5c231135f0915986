package dev.concierge.chat.tenants;

import dev.concierge.contracts.TenantUpdated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The tenant settings chat-service answers with (the support e-mail address offered when the assistant does not
 * know or a shopper asks for a person, and the language model the tenant chose), kept from {@code tenant.tenant-updated.v1} in chat-service's
 * own database instead of calling the gateway. Reads go through a short in-process cache
 * ({@value #CACHE_SECONDS} s): every instance consumes its share of the events, but all instances read the
 * same table, so a change reaches every instance within that time. A tenant never seen has no settings: the
 * answers then point to the store's own contact page.
 */
@Component
public class TenantSettings {

    static final int CACHE_SECONDS = 30;

    /**
     * What chat-service knows of a tenant.
     *
     * @param llm the language model it chose; null for the platform's default
     */
    public record Settings(String name, String status, String supportEmail, Llm llm) {
        static final Settings UNKNOWN = new Settings(null, null, null, null);

        public Settings(String name, String status, String supportEmail) {
            this(name, status, supportEmail, null);
        }

        public Optional<String> supportEmailIfAny() {
            return Optional.ofNullable(supportEmail).filter(s -> !s.isBlank());
        }
    }

    /**
     * A tenant's choice of language model, as published: {@value #OFFLINE} (never a model) or {@value #OPENAI} (an
     * OpenAI-compatible endpoint with the tenant's own key, still sealed: {@link TenantSecrets} opens it).
     */
    public record Llm(String provider, String baseUrl, String model, String apiKeyEncrypted) {

        public static final String OFFLINE = TenantUpdated.Llm.OFFLINE;
        public static final String OPENAI = TenantUpdated.Llm.OPENAI;

        public boolean isOffline() {
            return OFFLINE.equals(provider);
        }

        public boolean isOpenAi() {
            return OPENAI.equals(provider);
        }

        @Override
        public String toString() {
            return "Llm[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey=***]";
        }
    }

    private record Cached(Settings settings, Instant until) {
    }

    private final DatabaseClient db;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every change this instance stores: a read that began before it does not cache what it read. */
    private final AtomicLong generation = new AtomicLong();

    @Autowired
    public TenantSettings(DatabaseClient db) {
        this(db, Clock.systemUTC());
    }

    TenantSettings(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The tenant's settings; {@link Settings#UNKNOWN} when none were published (or the database is down). */
    public Mono<Settings> of(String tenantId) {
        if (tenantId == null) {
            return Mono.just(Settings.UNKNOWN);
        }
        Cached cached = cache.get(tenantId);
        Instant now = clock.instant();
        if (cached != null && cached.until().isAfter(now)) {
            return Mono.just(cached.settings());
        }
        long startedIn = generation.get();
        return db.sql("SELECT name, status, support_email, llm_provider, llm_base_url, llm_model, llm_api_key_encrypted"
                        + " FROM tenant_settings WHERE tenant_id = :t")
                .bind("t", tenantId)
                .map((row, meta) -> {
                    String provider = row.get("llm_provider", String.class);
                    return new Settings(row.get("name", String.class), row.get("status", String.class),
                            row.get("support_email", String.class), provider == null ? null
                                    : new Llm(provider, row.get("llm_base_url", String.class),
                                            row.get("llm_model", String.class),
                                            row.get("llm_api_key_encrypted", String.class)));
                })
                .first()
                .defaultIfEmpty(Settings.UNKNOWN)
                .timeout(Duration.ofSeconds(2))
                .doOnNext(s -> {
                    cache.put(tenantId, new Cached(s, now.plusSeconds(CACHE_SECONDS)));
                    if (generation.get() != startedIn) {
                        cache.remove(tenantId); // a change was stored meanwhile: what was read may predate it
                    }
                })
                // settings improve an answer; their absence must not fail it
                .onErrorResume(e -> Mono.just(cached != null ? cached.settings() : Settings.UNKNOWN));
    }

    /**
     * Keeps the event's settings unless a later change is already stored. Returns whether it changed anything.
     */
    Mono<Boolean> record(TenantUpdated event) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        INSERT INTO tenant_settings (tenant_id, name, status, support_email, updated_at, llm_provider,
                                                     llm_base_url, llm_model, llm_api_key_encrypted)
                        VALUES (:t, :name, :status, :email, :at, :provider, :baseUrl, :model, :key)
                        ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status,
                            support_email = EXCLUDED.support_email, updated_at = EXCLUDED.updated_at,
                            llm_provider = EXCLUDED.llm_provider, llm_base_url = EXCLUDED.llm_base_url,
                            llm_model = EXCLUDED.llm_model, llm_api_key_encrypted = EXCLUDED.llm_api_key_encrypted
                        WHERE tenant_settings.updated_at < EXCLUDED.updated_at""")
                .bind("t", event.tenantId())
                .bind("name", Optional.ofNullable(event.name()).orElse(""))
                .bind("status", event.status())
                .bind("at", event.updatedAt());
        String email = event.supportEmail() == null || event.supportEmail().isBlank() ? null : event.supportEmail().strip();
        insert = email == null ? insert.bindNull("email", String.class) : insert.bind("email", email);
        TenantUpdated.Llm llm = event.llm();
        insert = bindOrNull(insert, "provider", llm == null ? null : llm.provider());
        insert = bindOrNull(insert, "baseUrl", llm == null ? null : llm.baseUrl());
        insert = bindOrNull(insert, "model", llm == null ? null : llm.model());
        insert = bindOrNull(insert, "key", llm == null ? null : llm.apiKeyEncrypted());
        return insert.fetch().rowsUpdated()
                .map(n -> n > 0)
                .doOnNext(changed -> {
                    if (changed) {
                        generation.incrementAndGet();
                        cache.remove(event.tenantId());
                    }
                });
    }

    private static DatabaseClient.GenericExecuteSpec bindOrNull(DatabaseClient.GenericExecuteSpec spec, String name,
                                                                String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
