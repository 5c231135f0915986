package dev.concierge.scraper.tenants;

import dev.concierge.contracts.TenantUpdated;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * tenant.tenant-updated.v1 → the tenant's status ({@link TenantStatuses}), so scheduled re-crawls stop while a
 * tenant is disabled and resume when it is enabled again. Only the status is kept: nothing else of the tenant's
 * settings concerns crawling yet. A malformed event throws and ends in {@code tenant.tenant-updated.v1.dlt} after
 * two retries.
 */
@Component
class TenantUpdatedListener {

    private static final Logger log = LoggerFactory.getLogger(TenantUpdatedListener.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final JsonMapper json;
    private final TenantStatuses statuses;

    TenantUpdatedListener(JsonMapper json, TenantStatuses statuses) {
        this.json = json;
        this.statuses = statuses;
    }

    @KafkaListener(topics = "#{T(dev.concierge.contracts.Topics).TENANT_UPDATED.name()}",
            groupId = "${spring.kafka.consumer.group-id}")
    void onTenantUpdated(String value) {
        TenantUpdated event = json.readValue(value, TenantUpdated.class);
        if (event.tenantId() == null || event.tenantId().isBlank() || event.updatedAt() == null
                || !(TenantStatuses.ACTIVE.equals(event.status()) || TenantStatuses.DISABLED.equals(event.status()))) {
            throw new IllegalArgumentException("not a tenant.tenant-updated.v1 event: tenant_id, status "
                    + "(active|disabled) and updated_at are required");
        }
        boolean changed = Boolean.TRUE.equals(statuses.record(event.tenantId(), event.status(), event.updatedAt())
                .block(DB_TIMEOUT));
        if (changed && event.changedFields().contains(TenantUpdated.STATUS)) {
            log.info("tenant {} is {}: scheduled re-crawls {}", event.tenantId(), event.status(),
                    TenantStatuses.DISABLED.equals(event.status()) ? "stop" : "resume");
        }
    }
}
