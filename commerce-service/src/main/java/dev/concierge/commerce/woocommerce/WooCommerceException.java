package dev.concierge.commerce.woocommerce;

/** A call to a store failed; {@link Kind} says why, in terms a store owner can act on. */
public class WooCommerceException extends RuntimeException {

    public enum Kind {
        /** 401/403: wrong or revoked keys, or keys without read access. Never retried. */
        UNAUTHORIZED("unauthorized", false),
        /** 404 at the REST root: the REST API is disabled, pretty permalinks are off, or it is not WooCommerce. */
        NOT_FOUND("not_found", false),
        /** The store redirects http to https: use the https URL. */
        HTTPS_REQUIRED("https_required", false),
        /** TLS handshake failed: expired/self-signed certificate, or https spoken to a plain http port. */
        TLS_ERROR("tls_error", false),
        TIMEOUT("timeout", true),
        UNREACHABLE("unreachable", true),
        RATE_LIMITED("rate_limited", true),
        SERVER_ERROR("server_error", true),
        /** The store answered something that is not the WooCommerce JSON we expect. */
        UNEXPECTED_RESPONSE("unexpected_response", false),
        /** Our circuit breaker for this store is open after repeated failures. */
        CIRCUIT_OPEN("circuit_open", false);

        public final String reason;
        public final boolean transientFailure;

        Kind(String reason, boolean transientFailure) {
            this.reason = reason;
            this.transientFailure = transientFailure;
        }
    }

    private final Kind kind;
    private final int status;
    private final transient java.time.Duration retryAfter;

    public WooCommerceException(Kind kind, int status, String message) {
        this(kind, status, message, null, null);
    }

    public WooCommerceException(Kind kind, int status, String message, java.time.Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The store's HTTP status, 0 when there was no response. */
    public int status() {
        return status;
    }

    /** The store's {@code Retry-After}, null when absent. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
