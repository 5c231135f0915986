package dev.concierge.gateway.verification.internal;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import dev.concierge.contracts.Domains;
import dev.concierge.gateway.egress.PublicAddresses;
import dev.concierge.gateway.verification.Outcome;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Fetches a page of a tenant's own site, carefully: the site is the tenant's, and the tenant is not trusted.
 * <ul>
 * <li>SSRF: the host is resolved first and refused when any of its addresses is not public
 * ({@link PublicAddresses}); the connection then goes to exactly the address checked, so DNS cannot answer
 * differently in between (rebinding). {@code allowPrivateHosts} switches the check off for local runs.</li>
 * <li>Redirects are followed only to the domain itself or its {@code www.} host, never from https to http, and at
 * most {@code maxRedirects} times.</li>
 * <li>Connect timeout, a time limit for the whole fetch (redirects included), and only the first
 * {@code maxBytes} of the body are read.</li>
 * <li>TLS with certificate and host name verification (Reactor Netty's defaults).</li>
 * </ul>
 * Every failure is a {@link CheckFailed} naming what went wrong.
 */
public final class SiteFetcher {

    private static final String USER_AGENT = "ConciergeVerifier/1.0 (+https://concierge.dev/verify)";

    /** A response: its status, content type, where it came from and (up to the limit) its body. */
    public record Page(URI url, int status, String contentType, byte[] body, boolean truncated) {
    }

    private record Response(int status, String contentType, String location, byte[] body, boolean truncated) {
    }

    private final String scheme;
    private final int port;
    private final boolean allowPrivateHosts;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int maxRedirects;

    public SiteFetcher(String scheme, int port, boolean allowPrivateHosts, Duration connectTimeout, Duration timeout,
            int maxRedirects) {
        this.scheme = scheme;
        this.port = port;
        this.allowPrivateHosts = allowPrivateHosts;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    /** The URL {@code path} of {@code domain} is fetched from: the configured scheme and port. */
    public URI urlOf(String domain, String path) {
        try {
            return new URI(scheme, null, domain, port == 0 ? -1 : port, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a domain: " + domain, e);
        }
    }

    /**
     * {@code GET} of {@code path} on {@code domain} (a normalised domain), following same-site redirects.
     *
     * @return the final response, whatever its status; fails with {@link CheckFailed}
     */
    public Mono<Page> fetch(String domain, String path, int maxBytes) {
        URI start = urlOf(domain, path);
        return get(start, domain, maxBytes, 0)
                .timeout(timeout, Mono.error(() -> new CheckFailed(Outcome.TIMEOUT,
                        "no complete answer from " + start.getHost() + " within " + seconds(timeout))));
    }

    private Mono<Page> get(URI url, String domain, int maxBytes, int redirects) {
        return resolve(url.getHost())
                .flatMap(address -> request(url, address, maxBytes))
                .flatMap(response -> {
                    if (!isRedirect(response.status())) {
                        return Mono.just(new Page(url, response.status(), response.contentType(), response.body(),
                                response.truncated()));
                    }
                    URI next = redirectTarget(url, response, domain, redirects);
                    return get(next, domain, maxBytes, redirects + 1);
                });
    }

    /** Where a redirect leads, when it may be followed. */
    private URI redirectTarget(URI from, Response response, String domain, int redirects) {
        if (response.location() == null || response.location().isBlank()) {
            throw new CheckFailed(Outcome.HTTP_ERROR, "HTTP " + response.status() + " without a Location from " + from);
        }
        URI next;
        try {
            next = from.resolve(new URI(response.location().strip())).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CheckFailed(Outcome.REDIRECT_REFUSED, from + " redirects to an invalid URL");
        }
        String nextScheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!nextScheme.equals("https") && !nextScheme.equals("http")) {
            throw new CheckFailed(Outcome.REDIRECT_REFUSED, from + " redirects to a non-http URL");
        }
        if (scheme.equals("https") && nextScheme.equals("http")) {
            throw new CheckFailed(Outcome.REDIRECT_REFUSED, from + " redirects to plain http: " + printable(next));
        }
        String host = next.getHost();
        if (host == null || !domain.equals(Domains.normalise(host))
                || !(host.equalsIgnoreCase(domain) || host.equalsIgnoreCase("www." + domain))) {
            throw new CheckFailed(Outcome.REDIRECT_REFUSED, from + " redirects to another host: "
                    + printable(next) + " (only " + domain + " and www." + domain + " are followed)");
        }
        if (redirects >= maxRedirects) {
            throw new CheckFailed(Outcome.REDIRECT_REFUSED, "more than " + maxRedirects + " redirects");
        }
        return next;
    }

    /** The address to connect to; resolved off the event loop (the JDK resolver blocks). */
    private Mono<InetAddress> resolve(String host) {
        return Mono.fromCallable(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new CheckFailed(Outcome.UNRESOLVABLE, host + " does not resolve to an address");
            }
            if (!allowPrivateHosts) {
                for (InetAddress address : addresses) {
                    if (!PublicAddresses.isPublic(address)) {
                        throw new CheckFailed(Outcome.BLOCKED_ADDRESS, host + " resolves to "
                                + address.getHostAddress() + ", which is not a public address");
                    }
                }
            }
            return Arrays.stream(addresses).filter(a -> a.getAddress().length == 4).findFirst()
                    .orElse(addresses[0]);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Response> request(URI url, InetAddress address, int maxBytes) {
        HttpClient client = HttpClient.newConnection()
                .resolver(new PinnedAddress(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .responseTimeout(timeout)
                .followRedirect(false)
                .headers(headers -> headers
                        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                        .set(HttpHeaderNames.ACCEPT, "text/html, text/plain;q=0.9, */*;q=0.1"));
        return client.get()
                .uri(url)
                .response((response, content) -> {
                    int status = response.status().code();
                    String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
                    String location = response.responseHeaders().get(HttpHeaderNames.LOCATION);
                    if (isRedirect(status)) {
                        return Mono.just(new Response(status, contentType, location, new byte[0], false));
                    }
                    return readAtMost(content.asByteArray(), maxBytes)
                            .map(body -> new Response(status, contentType, location, body.bytes(), body.truncated()));
                })
                .next()
                .onErrorMap(e -> !(e instanceof CheckFailed), e -> classify(e, url));
    }

    private record Limited(byte[] bytes, boolean truncated) {
    }

    private static Mono<Limited> readAtMost(Flux<byte[]> chunks, int maxBytes) {
        return Mono.defer(() -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean[] truncated = {false};
            return chunks
                    .takeUntil(chunk -> {
                        int room = maxBytes - body.size();
                        body.write(chunk, 0, Math.min(room, chunk.length));
                        if (chunk.length > room) {
                            truncated[0] = true;
                        }
                        return body.size() >= maxBytes;
                    })
                    .then(Mono.fromSupplier(() -> new Limited(body.toByteArray(), truncated[0])));
        });
    }

    /** A transport failure as an outcome with a reason the tenant can act on. */
    private CheckFailed classify(Throwable e, URI url) {
        String host = url.getHost();
        if (causeOf(e, ConnectTimeoutException.class) != null) {
            return new CheckFailed(Outcome.TIMEOUT, "no connection to " + host + " within " + seconds(connectTimeout));
        }
        if (causeOf(e, ReadTimeoutException.class) != null || causeOf(e, TimeoutException.class) != null) {
            return new CheckFailed(Outcome.TIMEOUT, host + " did not answer in time");
        }
        if (causeOf(e, NotSslRecordException.class) != null) {
            return new CheckFailed(Outcome.TLS_ERROR, "TLS handshake with " + host + " failed: the server did not "
                    + "answer with TLS");
        }
        SSLException tls = causeOf(e, SSLException.class);
        if (tls != null) {
            return new CheckFailed(Outcome.TLS_ERROR, "TLS handshake with " + host + " failed: " + tlsReason(tls));
        }
        if (causeOf(e, ConnectException.class) != null) {
            return new CheckFailed(Outcome.CONNECTION_FAILED, host + " refused the connection");
        }
        if (causeOf(e, PrematureCloseException.class) != null) {
            return new CheckFailed(Outcome.CONNECTION_FAILED, host + " closed the connection before answering");
        }
        if (causeOf(e, UnknownHostException.class) != null) {
            return new CheckFailed(Outcome.UNRESOLVABLE, host + " does not resolve to an address");
        }
        return new CheckFailed(Outcome.CONNECTION_FAILED, "could not fetch " + url + ": "
                + rootOf(e).getClass().getSimpleName());
    }

    private static String tlsReason(SSLException e) {
        String message = String.valueOf(rootOf(e).getMessage()) + " " + e.getMessage();
        if (message.contains("PKIX") || message.contains("certification path")) {
            return "the certificate is not trusted (self-signed, expired or an incomplete chain)";
        }
        if (message.contains("No subject alternative") || message.contains("No name matching")
                || message.contains("hostname")) {
            return "the certificate is not valid for this host name";
        }
        if (message.contains("expired") || message.contains("NotAfter")) {
            return "the certificate has expired";
        }
        if (message.contains("not an SSL/TLS record") || message.contains("Unsupported or unrecognized SSL message")) {
            return "the server did not answer with TLS";
        }
        String first = message.strip();
        return first.length() > 160 ? first.substring(0, 160) + "…" : first;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String printable(URI uri) {
        String text = uri.toString();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Resolves every host to the one address already checked. */
    private static final class PinnedAddress extends AddressResolverGroup<InetSocketAddress> {

        private final InetAddress address;

        PinnedAddress(InetAddress address) {
            this.address = address;
        }

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new AbstractAddressResolver<>(executor) {
                @Override
                protected boolean doIsResolved(InetSocketAddress socketAddress) {
                    return !socketAddress.isUnresolved();
                }

                @Override
                protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
                    promise.setSuccess(new InetSocketAddress(address, unresolved.getPort()));
                }

                @Override
                protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
                    promise.setSuccess(List.of(new InetSocketAddress(address, unresolved.getPort())));
                }
            };
        }
    }
}
