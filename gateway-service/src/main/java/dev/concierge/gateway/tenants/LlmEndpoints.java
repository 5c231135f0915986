package dev.concierge.gateway.tenants;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.LlmProperties;
import dev.concierge.gateway.egress.PublicAddresses;
import dev.concierge.gateway.errors.ProblemException;
import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Where a tenant's own LLM may live ({@code llm.base_url}, SSRF protection): an https URL whose host resolves to
 * public addresses only ({@link PublicAddresses}), so a tenant cannot point chat-service's calls (which carry the
 * tenant's prompts and key) at loopback, the cluster's private network or the cloud metadata address. The form of
 * the URL is checked before ({@link TenantFields}); this is the check that needs DNS. chat-service checks the
 * address again when it connects (DNS may answer differently by then). With
 * {@code concierge.llm.allow-private-hosts} (local runs, tests) http and every address are allowed.
 */
@Component
class LlmEndpoints {

    private final LlmProperties properties;

    LlmEndpoints(LlmProperties properties) {
        this.properties = properties;
    }

    /**
     * Completes when {@code baseUrl} ({@code null}: the platform's default endpoint) may be used.
     *
     * @return an error with a 400 {@link ProblemException} naming {@code llm.base_url} otherwise
     */
    Mono<Void> check(String baseUrl) {
        if (baseUrl == null || properties.allowPrivateHosts()) {
            return Mono.empty();
        }
        URI uri = URI.create(baseUrl); // well-formed: TenantFields checked it
        if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return Mono.error(invalid("must be an https URL"));
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return isPublic(InetAddress.getByAddress(literal)) ? Mono.empty()
                        : Mono.error(invalid("must not name a loopback, private, link-local or other non-public "
                                + "address"));
            } catch (UnknownHostException e) {
                return Mono.error(invalid("must name a host on the public internet"));
            }
        }
        String name = host;
        // the JDK resolver blocks: off the event loop
        return Mono.fromCallable(() -> InetAddress.getAllByName(name))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.dnsTimeout())
                .onErrorMap(UnknownHostException.class, e -> invalid("names the host " + name
                        + ", which does not resolve"))
                .onErrorMap(TimeoutException.class, e -> invalid("names the host " + name
                        + ", which did not resolve in time; try again"))
                .flatMap(addresses -> {
                    for (InetAddress address : addresses) {
                        if (!isPublic(address)) {
                            return Mono.error(invalid("names the host " + name + ", which resolves to a loopback, "
                                    + "private, link-local or other non-public address"));
                        }
                    }
                    return Mono.<Void>empty();
                });
    }

    private static boolean isPublic(InetAddress address) {
        return PublicAddresses.isPublic(address);
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalidField(TenantFields.LLM_BASE_URL, message);
    }
}
