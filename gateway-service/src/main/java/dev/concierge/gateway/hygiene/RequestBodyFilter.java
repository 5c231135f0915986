package dev.concierge.gateway.hygiene;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.concierge.gateway.config.GatewayProperties;
import dev.concierge.gateway.errors.ProblemException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The request bodies the API takes: JSON only, and no more than {@code GATEWAY_MAX_JSON_BODY} (64 KiB), on every
 * {@code /api/**} endpoint, the admin API and every route alike (no endpoint behind the gateway takes anything
 * else).
 * <ul>
 * <li>A body larger than the limit gets 413 problem+json: at once when {@code Content-Length} says so, else when
 * the streamed body passes the limit (nothing of it is forwarded beyond the limit).</li>
 * <li>A {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} with a body that is not
 * {@code application/json} (or {@code application/*+json}) gets 415 problem+json with {@code Accept-Post} /
 * {@code Accept-Patch}. Requests without a body need no {@code Content-Type}.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RequestBodyFilter implements WebFilter {

    private static final PathPattern API = PathPatternParser.defaultInstance.parse("/api/**");
    private static final String ACCEPTED = MediaType.APPLICATION_JSON_VALUE;
    /**
     * WooCommerce's webhooks: JSON, but the ping sent when a webhook is created is a form
     * ({@code webhook_id=N}). Their bodies are full product or order documents, so their limit is larger.
     */
    private static final PathPattern STORE_WEBHOOKS = PathPatternParser.defaultInstance.parse("/api/commerce/webhooks/woocommerce/*");
    static final long MAX_WEBHOOK_BODY = 1024 * 1024;

    private final long maxBody;

    public RequestBodyFilter(GatewayProperties properties) {
        this.maxBody = properties.maxJsonBody().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!API.matches(request.getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        long length = headers.getContentLength();
        boolean streamed = headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        if (length <= 0 && !streamed) {
            return chain.filter(exchange);
        }
        boolean webhook = STORE_WEBHOOKS.matches(request.getPath().pathWithinApplication());
        long limit = webhook ? MAX_WEBHOOK_BODY : maxBody;
        if (length > limit) {
            return Mono.error(tooLarge(limit));
        }
        HttpMethod method = request.getMethod();
        if (expectsJson(method) && !isJson(headers) && !(webhook && isForm(headers))) {
            String acceptHeader = HttpMethod.PATCH.equals(method) ? "Accept-Patch"
                    : HttpMethod.POST.equals(method) ? "Accept-Post" : null;
            return Mono.error(ProblemException.unsupportedMediaType("This endpoint takes " + ACCEPTED
                    + " request bodies", acceptHeader, ACCEPTED));
        }
        if (!streamed) {
            return chain.filter(exchange); // Netty reads exactly Content-Length bytes, within the limit
        }
        return chain.filter(exchange.mutate().request(new LimitedBody(request, limit)).build());
    }

    private ProblemException tooLarge() {
        return tooLarge(maxBody);
    }

    private static ProblemException tooLarge(long limit) {
        return ProblemException.contentTooLarge("Request bodies are limited to " + limit + " bytes");
    }

    private static boolean isForm(HttpHeaders headers) {
        MediaType type = headers.getContentType();
        return type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type);
    }

    private static boolean expectsJson(HttpMethod method) {
        return HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)
                || HttpMethod.DELETE.equals(method);
    }

    private static boolean isJson(HttpHeaders headers) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return type != null && "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                        || type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
    }

    /** A streamed body that fails with 413 as soon as it passes the limit. */
    private final class LimitedBody extends ServerHttpRequestDecorator {

        private final long limit;

        LimitedBody(ServerHttpRequest delegate, long limit) {
            super(delegate);
            this.limit = limit;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicLong read = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (read.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge(limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            });
        }
    }
}
