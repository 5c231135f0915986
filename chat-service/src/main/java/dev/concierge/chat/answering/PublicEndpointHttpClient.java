package dev.concierge.chat.answering;

import dev.concierge.kit.net.PublicAddresses;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The HTTP client of a tenant's own model (its {@code llm.base_url}): before every call it resolves the endpoint's
 * host and refuses the call when any address is not public ({@link PublicAddresses}), so a name that pointed at a
 * public address when the gateway accepted it and now points inside our network (DNS rebinding) is not followed
 * there. The calls then go through LangChain4j's default client (the JDK's), which resolves the host through the
 * same JVM address cache, so it connects to the addresses just checked. Left open: an entry of that cache expiring
 * in the instant between the check and the connection (the JDK client offers no hook on the address it connects
 * to, unlike Reactor Netty's {@code doOnConnected} used by commerce-service).
 * <p>
 * Calls run on {@code boundedElastic} ({@link LlmResponder}), so resolving here blocks no event loop.
 */
final class PublicEndpointHttpClient implements HttpClient {

    private final HttpClient delegate;

    PublicEndpointHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    /** A builder of LangChain4j's default client wrapped in this check. */
    static HttpClientBuilder builder() {
        return new Builder(HttpClientBuilderLoader.loadHttpClientBuilder());
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
        checkDestination(request.url());
        return delegate.execute(request);
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        try {
            checkDestination(request.url());
        } catch (RuntimeException refused) {
            listener.onError(refused);
            return;
        }
        delegate.execute(request, parser, listener);
    }

    /**
     * @throws InvalidRequestException (not retried) when the URL's host does not resolve or resolves to an address
     *                                 that is not public
     */
    static void checkDestination(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            throw new InvalidRequestException("The tenant's LLM endpoint has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("The tenant's LLM endpoint " + host + " does not resolve", e);
        }
        for (InetAddress address : addresses) {
            if (!PublicAddresses.isPublic(address)) {
                throw new InvalidRequestException("The tenant's LLM endpoint " + host + " resolves to "
                        + address.getHostAddress() + ", which is not a public address: refused (SSRF protection; "
                        + "CHAT_LLM_ALLOW_PRIVATE_HOSTS=true allows it for local runs)");
            }
        }
    }

    private static final class Builder implements HttpClientBuilder {

        private final HttpClientBuilder delegate;

        Builder(HttpClientBuilder delegate) {
            this.delegate = delegate;
        }

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            delegate.connectTimeout(timeout);
            return this;
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            delegate.readTimeout(timeout);
            return this;
        }

        @Override
        public HttpClient build() {
            return new PublicEndpointHttpClient(delegate.build());
        }
    }
}
