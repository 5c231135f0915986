package dev.concierge.commerce.woocommerce;

/**
 * Where a tenant's store is and the REST API keys to read it. {@code toString} never shows the keys.
 *
 * @param tenantId the tenant; also names the store's circuit breaker
 * @param storeUrl the store's base URL, e.g. {@code https://shop.example} (no trailing slash)
 */
public record StoreCredentials(String tenantId, String storeUrl, String consumerKey, String consumerSecret) {

    public StoreCredentials {
        storeUrl = storeUrl.endsWith("/") ? storeUrl.substring(0, storeUrl.length() - 1) : storeUrl;
    }

    public boolean https() {
        return storeUrl.regionMatches(true, 0, "https://", 0, 8);
    }

    @Override
    public String toString() {
        return "StoreCredentials[tenantId=" + tenantId + ", storeUrl=" + storeUrl + ", keys=<redacted>]";
    }
}
