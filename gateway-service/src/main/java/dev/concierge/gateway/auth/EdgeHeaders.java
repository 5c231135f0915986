package dev.concierge.gateway.auth;

/**
 * The headers through which the gateway tells services who a request acts for (see docs/architecture.md).
 * Only the gateway sets them; copies sent by clients are removed.
 */
public final class EdgeHeaders {

    public static final String TENANT_ID = "X-Tenant-Id";
    public static final String TENANT_DOMAIN = "X-Tenant-Domain";
    public static final String ROLE = "X-Concierge-Role";

    /** The public key a store's chat widget sends. */
    public static final String WIDGET_KEY = "X-Widget-Key";

    private EdgeHeaders() {
    }
}
