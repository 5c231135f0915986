package dev.concierge.scraper.jobs;

/**
 * Who is calling, as the gateway says in {@code X-Tenant-Id}, {@code X-Tenant-Domain} and
 * {@code X-Concierge-Role} (headers it alone sets).
 */
public record Caller(String tenantId, String tenantDomain, String role) {

    public static final String ADMIN = "admin";
    public static final String WIDGET = "widget";

    public Caller {
        tenantId = blankToNull(tenantId);
        tenantDomain = blankToNull(tenantDomain);
        role = blankToNull(role);
    }

    public boolean isAdmin() {
        return ADMIN.equalsIgnoreCase(role);
    }

    public boolean isWidget() {
        return WIDGET.equalsIgnoreCase(role);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
