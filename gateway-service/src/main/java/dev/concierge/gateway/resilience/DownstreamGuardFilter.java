package dev.concierge.gateway.resilience;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.concierge.gateway.auth.TenantAuthFilter;
import dev.concierge.gateway.config.ResilienceProperties;
import dev.concierge.gateway.errors.ProblemException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Guards every routed request with its service's circuit breaker ({@link DownstreamBreakers}) and retries
 * idempotent requests whose connection failed.
 * <ul>
 * <li>While the breaker is open the request is not sent: 503 problem+json "&lt;service&gt; is unavailable, try again
 * shortly" with {@code Retry-After}.</li>
 * <li>A call fails the breaker when the connection fails, the service does not answer in time, or it answers
 * 502/503/504; other answers count as successes. Refusals by the gateway itself (bad input) do not count.</li>
 * <li>{@code GET} and {@code HEAD} are retried (each try through the breaker) after a connection failure, with
 * exponential backoff, at most {@code concierge.resilience.retries} times. Nothing else is retried: a request that
 * reached the service may have had its effect, and a response timeout means the service is slow already.</li>
 * </ul>
 * Runs after authentication and rate limiting (a retry costs no second token) and wraps the routing filters, so
 * the time measured is the whole exchange, streamed bodies included (slow calls never count as failures).
 */
@Component
public class DownstreamGuardFilter implements GlobalFilter, Ordered {

    /** Route metadata key naming the service behind the route ({@code chat-service}, ...). */
    public static final String SERVICE = "service";

    private final DownstreamBreakers breakers;
    private final int retries;
    private final Duration backoff;
    private final Duration maxBackoff;

    public DownstreamGuardFilter(DownstreamBreakers breakers, ResilienceProperties properties) {
        this.breakers = breakers;
        this.retries = properties.retries();
        this.backoff = properties.retryBackoff();
        this.maxBackoff = properties.retryMaxBackoff();
    }

    @Override
    public int getOrder() {
        return TenantAuthFilter.ORDER + 200;
    }

    /** The name of the service behind the route: its {@code service} metadata, else the route's id. */
    public static String serviceOf(Route route) {
        Object service = route.getMetadata().get(SERVICE);
        return service != null ? service.toString() : route.getId();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return chain.filter(exchange);
        }
        String service = serviceOf(route);
        CircuitBreaker breaker = breakers.of(service);
        HttpMethod method = exchange.getRequest().getMethod();
        boolean idempotent = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        return attempt(exchange, chain, breaker, service, idempotent ? retries : 0, 0);
    }

    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, CircuitBreaker breaker,
            String service, int retriesLeft, int retried) {
        return Mono.defer(() -> {
            if (!breaker.tryAcquirePermission()) {
                return Mono.error(unavailable(service));
            }
            long start = breaker.getCurrentTimestamp();
            AtomicBoolean recorded = new AtomicBoolean();
            return chain.filter(exchange)
                    .doOnSuccess(done -> {
                        if (recorded.compareAndSet(false, true)) {
                            recordResponse(breaker, start, exchange.getResponse().getStatusCode());
                        }
                    })
                    .doOnError(error -> {
                        if (recorded.compareAndSet(false, true)) {
                            recordError(breaker, start, error);
                        }
                    })
                    .doOnCancel(() -> {
                        if (recorded.compareAndSet(false, true)) {
                            breaker.releasePermission(); // the client went away: no verdict on the service
                        }
                    });
        }).onErrorResume(error -> {
            if (retriesLeft <= 0 || !isConnectionFailure(error) || exchange.getResponse().isCommitted()) {
                return Mono.error(error);
            }
            return Mono.delay(backoffBefore(retried + 1)).then(Mono.defer(() -> {
                ServerWebExchangeUtils.reset(exchange);
                return attempt(exchange, chain, breaker, service, retriesLeft - 1, retried + 1);
            }));
        });
    }

    private ProblemException unavailable(String service) {
        long retryAfter = Math.max(1, breakers.openFor().toSeconds());
        return ProblemException.serviceUnavailable(service + " is unavailable, try again shortly", retryAfter);
    }

    private static void recordResponse(CircuitBreaker breaker, long start, HttpStatusCode status) {
        long elapsed = breaker.getCurrentTimestamp() - start;
        int code = status == null ? 0 : status.value();
        if (code == 502 || code == 503 || code == 504) {
            breaker.onError(elapsed, breaker.getTimestampUnit(), new DownstreamFailed(code));
        } else {
            breaker.onSuccess(elapsed, breaker.getTimestampUnit());
        }
    }

    private static void recordError(CircuitBreaker breaker, long start, Throwable error) {
        long elapsed = breaker.getCurrentTimestamp() - start;
        if (isConnectionFailure(error) || isTimeout(error)) {
            breaker.onError(elapsed, breaker.getTimestampUnit(), error);
        } else {
            breaker.releasePermission(); // not the service's doing (e.g. the request body was refused)
        }
    }

    private Duration backoffBefore(int retry) {
        Duration delay = backoff.multipliedBy(1L << Math.min(retry - 1, 20));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** The request never reached the service, or the service hung up before answering. */
    static boolean isConnectionFailure(Throwable error) {
        return causeOf(error, ConnectException.class) || causeOf(error, ConnectTimeoutException.class)
                || causeOf(error, UnknownHostException.class) || causeOf(error, UnresolvedAddressException.class)
                || causeOf(error, PrematureCloseException.class)
                        && String.valueOf(prematureCloseMessage(error)).contains("BEFORE response");
    }

    private static boolean isTimeout(Throwable error) {
        return causeOf(error, TimeoutException.class) || causeOf(error, ReadTimeoutException.class)
                || causeOf(error, org.springframework.cloud.gateway.support.TimeoutException.class)
                || causeOf(error, PrematureCloseException.class);
    }

    private static String prematureCloseMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PrematureCloseException) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static boolean causeOf(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A 502/503/504 answer from the service, as the breaker records it. */
    static final class DownstreamFailed extends RuntimeException {

        DownstreamFailed(int status) {
            super("HTTP " + status, null, false, false);
        }
    }
}
