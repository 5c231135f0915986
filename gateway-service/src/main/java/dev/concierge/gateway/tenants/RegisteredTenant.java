package dev.concierge.gateway.tenants;

/** A tenant just registered, with its keys in clear: they exist nowhere else and are shown only this once. */
public record RegisteredTenant(Tenant tenant, String apiKey, String widgetKey) {

    @Override
    public String toString() {
        return "RegisteredTenant[tenant=" + tenant + ", apiKey=***, widgetKey=***]";
    }
}
