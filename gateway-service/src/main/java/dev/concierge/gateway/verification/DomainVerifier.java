package dev.concierge.gateway.verification;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.concierge.gateway.config.VerificationProperties;
import dev.concierge.gateway.tenants.VerificationMethod;
import dev.concierge.gateway.verification.internal.CheckFailed;
import dev.concierge.gateway.verification.internal.SiteFetcher;
import dev.concierge.gateway.verification.internal.TxtRecords;
import reactor.core.publisher.Mono;

/**
 * Looks for a tenant's verification token on its domain, by each method in turn until one finds it:
 * <ol>
 * <li>{@code https://<domain>/.well-known/concierge-verify.txt} containing the token;</li>
 * <li>a DNS TXT record {@code _concierge-verify.<domain>} containing the token;</li>
 * <li>{@code <meta name="concierge-verification" content="<token>">} on the home page {@code https://<domain>/}.</li>
 * </ol>
 * Each method tried is reported with what it found, so the tenant learns why it failed. Never fails itself.
 */
@Component
public class DomainVerifier {

    public static final String WELL_KNOWN_PATH = "/.well-known/concierge-verify.txt";
    public static final String TXT_PREFIX = "_concierge-verify.";
    public static final String META_NAME = "concierge-verification";

    private final SiteFetcher site;
    private final TxtRecords dns;
    private final int maxFileBytes;
    private final int maxPageBytes;

    @Autowired
    public DomainVerifier(VerificationProperties properties) {
        this(new SiteFetcher(properties.scheme(), properties.port(), properties.allowPrivateHosts(),
                        properties.connectTimeout(), properties.timeout(), properties.maxRedirects()),
                new TxtRecords(properties.dnsServer(), properties.dnsTimeout()),
                Math.toIntExact(properties.maxFileSize().toBytes()), Math.toIntExact(properties.maxPageSize().toBytes()));
    }

    public DomainVerifier(SiteFetcher site, TxtRecords dns, int maxFileBytes, int maxPageBytes) {
        this.site = site;
        this.dns = dns;
        this.maxFileBytes = maxFileBytes;
        this.maxPageBytes = maxPageBytes;
    }

    /** The methods tried, in order; the last one succeeded when any did. */
    public record Result(List<VerificationAttempt> attempts) {

        public boolean verified() {
            return !attempts.isEmpty() && attempts.get(attempts.size() - 1).succeeded();
        }

        public VerificationMethod method() {
            return verified() ? attempts.get(attempts.size() - 1).method() : null;
        }
    }

    /** Where the token is looked for, for the instructions. */
    public URI fileUrl(String domain) {
        return site.urlOf(domain, WELL_KNOWN_PATH);
    }

    public URI homePageUrl(String domain) {
        return site.urlOf(domain, "/");
    }

    public static String txtName(String domain) {
        return TXT_PREFIX + domain;
    }

    /** Tries the methods in order until one finds {@code token} on {@code domain} (a normalised domain). */
    public Mono<Result> verify(String domain, String token) {
        List<Supplier<Mono<VerificationAttempt>>> methods = List.of(
                () -> wellKnownFile(domain, token),
                () -> dnsTxt(domain, token),
                () -> metaTag(domain, token));
        return tryInOrder(methods, 0, new ArrayList<>()).map(Result::new);
    }

    private Mono<List<VerificationAttempt>> tryInOrder(List<Supplier<Mono<VerificationAttempt>>> methods,
            int index, List<VerificationAttempt> tried) {
        if (index == methods.size()) {
            return Mono.just(List.copyOf(tried));
        }
        return methods.get(index).get().flatMap(attempt -> {
            tried.add(attempt);
            return attempt.succeeded() ? Mono.just(List.copyOf(tried)) : tryInOrder(methods, index + 1, tried);
        });
    }

    Mono<VerificationAttempt> wellKnownFile(String domain, String token) {
        VerificationMethod method = VerificationMethod.WELL_KNOWN_FILE;
        String target = fileUrl(domain).toString();
        return site.fetch(domain, WELL_KNOWN_PATH, maxFileBytes)
                .map(page -> {
                    if (page.status() == 404 || page.status() == 410) {
                        return attempt(method, target, Outcome.NOT_FOUND, "HTTP " + page.status() + ": no file at "
                                + page.url());
                    }
                    if (page.status() != 200) {
                        return attempt(method, target, Outcome.HTTP_ERROR, "HTTP " + page.status() + " from "
                                + page.url());
                    }
                    String text = new String(page.body(), StandardCharsets.UTF_8);
                    if (text.contains(token)) {
                        return attempt(method, target, Outcome.VERIFIED, "the file contains the token");
                    }
                    return attempt(method, target, Outcome.WRONG_TOKEN, text.isBlank() ? "the file is empty"
                            : "the file does not contain the current token" + readLimit(page));
                })
                .onErrorResume(CheckFailed.class, e -> Mono.just(attempt(method, target, e.outcome(), e.detail())));
    }

    Mono<VerificationAttempt> dnsTxt(String domain, String token) {
        VerificationMethod method = VerificationMethod.DNS_TXT;
        String name = txtName(domain);
        return dns.lookup(name)
                .map(records -> {
                    if (records.isEmpty()) {
                        return attempt(method, name, Outcome.NOT_FOUND, name + " has no TXT record");
                    }
                    if (records.stream().anyMatch(record -> record.contains(token))) {
                        return attempt(method, name, Outcome.VERIFIED, "a TXT record contains the token");
                    }
                    return attempt(method, name, Outcome.WRONG_TOKEN, records.size() == 1
                            ? "the TXT record does not contain the current token"
                            : "none of the " + records.size() + " TXT records contains the current token");
                })
                .onErrorResume(CheckFailed.class, e -> Mono.just(attempt(method, name, e.outcome(), e.detail())));
    }

    Mono<VerificationAttempt> metaTag(String domain, String token) {
        VerificationMethod method = VerificationMethod.META_TAG;
        String target = homePageUrl(domain).toString();
        return site.fetch(domain, "/", maxPageBytes)
                .map(page -> {
                    if (page.status() == 404 || page.status() == 410) {
                        return attempt(method, target, Outcome.NOT_FOUND, "HTTP " + page.status()
                                + ": no home page at " + page.url());
                    }
                    if (page.status() != 200) {
                        return attempt(method, target, Outcome.HTTP_ERROR, "HTTP " + page.status() + " from "
                                + page.url());
                    }
                    List<String> contents = metaContents(page);
                    if (contents.isEmpty()) {
                        return attempt(method, target, Outcome.NOT_FOUND, "the home page has no <meta name=\""
                                + META_NAME + "\"> tag" + readLimit(page));
                    }
                    if (contents.stream().anyMatch(content -> content.strip().equals(token))) {
                        return attempt(method, target, Outcome.VERIFIED, "the home page's meta tag has the token");
                    }
                    return attempt(method, target, Outcome.WRONG_TOKEN,
                            "the home page's <meta name=\"" + META_NAME + "\"> does not have the current token");
                })
                .onErrorResume(CheckFailed.class, e -> Mono.just(attempt(method, target, e.outcome(), e.detail())));
    }

    private static List<String> metaContents(SiteFetcher.Page page) {
        Document document;
        try {
            document = Jsoup.parse(new ByteArrayInputStream(page.body()), null, page.url().toString());
        } catch (IOException e) {
            return List.of();
        }
        List<String> contents = new ArrayList<>();
        for (Element meta : document.select("meta[name]")) {
            if (META_NAME.equalsIgnoreCase(meta.attr("name").strip())) {
                contents.add(meta.attr("content"));
            }
        }
        return contents;
    }

    private static String readLimit(SiteFetcher.Page page) {
        return page.truncated() ? " (only the first " + page.body().length / 1024 + " KiB were read)" : "";
    }

    private static VerificationAttempt attempt(VerificationMethod method, String target, Outcome outcome,
            String detail) {
        return new VerificationAttempt(method, target, outcome, detail);
    }
}
