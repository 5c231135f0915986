package dev.concierge.chat.tenants;

import dev.concierge.contracts.TenantUpdated;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * tenant.tenant-updated.v1 → {@link TenantSettings}. Every event is a full snapshot, so keeping the latest per
 * tenant is enough; an older one replayed after a newer one changes nothing. A malformed event throws and ends
 * in {@code tenant.tenant-updated.v1.dlt} after bounded retries (service-kit's policy); a database outage is
 * retried until the database is back.
 */
@Component
class TenantUpdatedListener {

    private static final Logger log = LoggerFactory.getLogger(TenantUpdatedListener.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final JsonMapper json;
    private final TenantSettings settings;

    TenantUpdatedListener(JsonMapper json, TenantSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    @KafkaListener(topics = "#{T(dev.concierge.contracts.Topics).TENANT_UPDATED.name()}",
            groupId = "${spring.kafka.consumer.group-id}")
    void onTenantUpdated(String value) {
        TenantUpdated event = json.readValue(value, TenantUpdated.class);
        if (event.tenantId() == null || event.tenantId().isBlank() || event.updatedAt() == null
                || !(TenantUpdated.ACTIVE.equals(event.status()) || TenantUpdated.DISABLED.equals(event.status()))) {
            throw new IllegalArgumentException("not a tenant.tenant-updated.v1 event: tenant_id, status "
                    + "(active|disabled) and updated_at are required");
        }
        TenantUpdated.Llm llm = event.llm();
        if (llm != null && !(TenantUpdated.Llm.OFFLINE.equals(llm.provider()) || TenantUpdated.Llm.OPENAI.equals(llm.provider())
                && notBlank(llm.baseUrl()) && notBlank(llm.model()) && notBlank(llm.apiKeyEncrypted()))) {
            throw new IllegalArgumentException("not a tenant.tenant-updated.v1 event: llm must be provider offline, or "
                    + "openai with base_url, model and api_key_encrypted");
        }
        if (Boolean.TRUE.equals(settings.record(event).block(DB_TIMEOUT))) {
            log.debug("tenant {} settings updated ({})", event.tenantId(), event.changedFields());
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
