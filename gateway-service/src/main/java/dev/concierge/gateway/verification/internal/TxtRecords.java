package dev.concierge.gateway.verification.internal;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import javax.naming.CommunicationException;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.ServiceUnavailableException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

import dev.concierge.gateway.verification.Outcome;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * DNS TXT lookups through the JDK's JNDI DNS provider ({@code com.sun.jndi.dns.DnsContextFactory}), which asks
 * the configured server directly (no OS or JVM cache in between, so a record the tenant just added is seen as soon
 * as the resolver has it). JNDI blocks: lookups run on {@code boundedElastic}.
 */
public final class TxtRecords {

    private static final String FACTORY = "com.sun.jndi.dns.DnsContextFactory";

    private final String providerUrl;
    private final Duration timeout;

    /**
     * @param dnsServer {@code host:port} (or {@code host}, port 53) of the DNS server to ask; empty for the
     *                  system's resolvers
     */
    public TxtRecords(String dnsServer, Duration timeout) {
        this.providerUrl = dnsServer == null || dnsServer.isBlank() ? "dns:" : "dns://" + dnsServer.strip();
        this.timeout = timeout;
    }

    /**
     * The TXT records of {@code name}, each as JNDI renders it (a record of several strings: the strings separated
     * by spaces); empty when the name exists without TXT records.
     *
     * @return fails with {@link CheckFailed}: {@code NXDOMAIN}, {@code TIMEOUT} or {@code DNS_ERROR}
     */
    public Mono<List<String>> lookup(String name) {
        return Mono.fromCallable(() -> query(name)).subscribeOn(Schedulers.boundedElastic());
    }

    private List<String> query(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, FACTORY);
        env.put(Context.PROVIDER_URL, providerUrl);
        // The first try waits a third of the timeout, the retry (JNDI doubles it) the other two thirds.
        env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(100, timeout.toMillis() / 3)));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {"TXT"});
            Attribute txt = attributes.get("TXT");
            List<String> records = new ArrayList<>();
            if (txt != null) {
                NamingEnumeration<?> values = txt.getAll();
                while (values.hasMore()) {
                    records.add(String.valueOf(values.next()));
                }
            }
            return records;
        } catch (NameNotFoundException e) {
            throw new CheckFailed(Outcome.NXDOMAIN, name + " does not exist (NXDOMAIN)");
        } catch (ServiceUnavailableException e) {
            throw new CheckFailed(Outcome.DNS_ERROR, "the DNS server could not answer for " + name + " (SERVFAIL)");
        } catch (CommunicationException e) {
            boolean timedOut = e.getRootCause() instanceof SocketTimeoutException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
            throw timedOut
                    ? new CheckFailed(Outcome.TIMEOUT, "no DNS answer for " + name + " in time")
                    : new CheckFailed(Outcome.DNS_ERROR, "DNS lookup of " + name + " failed: " + e.getExplanation());
        } catch (NamingException e) {
            throw new CheckFailed(Outcome.DNS_ERROR, "DNS lookup of " + name + " failed: " + e.getExplanation());
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing held open
                }
            }
        }
    }
}
