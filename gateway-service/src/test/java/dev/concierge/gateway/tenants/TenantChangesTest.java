package dev.concierge.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TenantChangesTest {

    private static final Tenant TENANT = new Tenant(UUID.randomUUID(), "shop.example", "Shop",
            List.of("https://shop.example"), "standard", null, TenantStatus.ACTIVE, "ck_live_abcd", "cw_abcd",
            Instant.EPOCH, null, Instant.EPOCH);

    @Test
    void dropsValuesTheTenantAlreadyHas() {
        TenantChanges same = new TenantChanges(TenantStatus.ACTIVE, "Shop", List.of("https://shop.example"),
                "standard", Optional.empty());

        assertThat(same.relativeTo(TENANT).isEmpty()).isTrue();
        assertThat(same.relativeTo(TENANT).fieldNames()).isEmpty();
    }

    @Test
    void keepsRealChangesAndNamesThemAsEventsDo() {
        TenantChanges changes = new TenantChanges(TenantStatus.DISABLED, "Shop", List.of("https://www.shop.example"),
                "pro", Optional.of("help@shop.example"));

        TenantChanges effective = changes.relativeTo(TENANT);

        assertThat(effective.name()).isNull();
        assertThat(effective.fieldNames()).containsExactly("status", "allowed_origins", "rate_limit_plan",
                "support_email");
    }

    @Test
    void removingAnAddressIsAChangeOnlyWhenThereIsOne() {
        Tenant withEmail = new Tenant(TENANT.id(), "shop.example", "Shop", List.of(), "standard", "help@shop.example",
                TenantStatus.ACTIVE, "ck_live_abcd", "cw_abcd", Instant.EPOCH, null, Instant.EPOCH);
        TenantChanges remove = new TenantChanges(null, null, null, null, Optional.empty());

        assertThat(remove.relativeTo(withEmail).fieldNames()).containsExactly("support_email");
        assertThat(remove.relativeTo(TENANT).isEmpty()).isTrue();
    }
}
