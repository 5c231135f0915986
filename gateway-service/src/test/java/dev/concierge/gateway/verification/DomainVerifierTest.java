package dev.concierge.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.concierge.gateway.support.TestDnsServer;
import dev.concierge.gateway.support.TestSite;
import dev.concierge.gateway.support.TestSite.Answer;
import dev.concierge.gateway.tenants.VerificationMethod;
import dev.concierge.gateway.verification.internal.SiteFetcher;
import dev.concierge.gateway.verification.internal.TxtRecords;

/**
 * The three verification methods against a real HTTP server (the tenant's site, on 127.0.0.1) and a real DNS
 * server (answering over UDP), through the same fetcher and JNDI resolver the gateway uses.
 */
class DomainVerifierTest {

    private static final String DOMAIN = "localhost";
    private static final String TOKEN = "concierge-0123456789abcdefghijklmnopqrstuv";
    private static final String FILE = DomainVerifier.WELL_KNOWN_PATH;
    private static final String TXT_NAME = "_concierge-verify.localhost";
    private static final int MAX_FILE = 64 * 1024;

    private static final TestSite SITE = TestSite.start();
    private static final TestDnsServer DNS = TestDnsServer.start();

    @AfterAll
    static void stop() {
        SITE.close();
        DNS.close();
    }

    @BeforeEach
    void clear() {
        SITE.clear();
        DNS.clear();
    }

    private static DomainVerifier verifier(String scheme, int port, boolean allowPrivateHosts) {
        return new DomainVerifier(
                new SiteFetcher(scheme, port, allowPrivateHosts, Duration.ofSeconds(2), Duration.ofSeconds(3), 3),
                new TxtRecords(DNS.address(), Duration.ofMillis(1500)), MAX_FILE, 512 * 1024);
    }

    private static DomainVerifier verifier() {
        return verifier("http", SITE.port(), true);
    }

    private static DomainVerifier.Result verify(DomainVerifier verifier) {
        return verifier.verify(DOMAIN, TOKEN).block(Duration.ofSeconds(20));
    }

    private static List<Outcome> outcomes(DomainVerifier.Result result) {
        return result.attempts().stream().map(VerificationAttempt::outcome).toList();
    }

    private static String homePageWith(String head) {
        return "<!doctype html><html><head><title>Shop</title>" + head + "</head><body>Welcome</body></html>";
    }

    // --- (a) the well-known file

    @Test
    void verifiesByTheWellKnownFileAndTriesNothingElse() {
        SITE.answer(FILE, Answer.ok("text/plain", TOKEN + "\n"));

        DomainVerifier.Result result = verify(verifier());

        assertThat(result.verified()).isTrue();
        assertThat(result.method()).isEqualTo(VerificationMethod.WELL_KNOWN_FILE);
        assertThat(result.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.target()).isEqualTo("http://localhost:" + SITE.port() + FILE);
            assertThat(attempt.outcome()).isEqualTo(Outcome.VERIFIED);
        });
        assertThat(SITE.hits("/")).isZero();
    }

    @Test
    void reportsAMissingFileAWrongTokenAnErrorStatusAndAnEmptyFile() {
        DomainVerifier verifier = verifier();
        assertThat(verifier.wellKnownFile(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(attempt.detail()).contains("HTTP 404");
        });

        SITE.answer(FILE, Answer.ok("text/plain", "concierge-an-older-token"));
        assertThat(verifier.wellKnownFile(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.WRONG_TOKEN);
            assertThat(attempt.detail()).contains("does not contain the current token");
        });

        SITE.answer(FILE, Answer.ok("text/plain", "  \n"));
        assertThat(verifier.wellKnownFile(DOMAIN, TOKEN).block().detail()).isEqualTo("the file is empty");

        SITE.answer(FILE, Answer.status(500));
        assertThat(verifier.wellKnownFile(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.HTTP_ERROR);
            assertThat(attempt.detail()).contains("HTTP 500");
        });
    }

    @Test
    void readsOnlyTheFirstPartOfAHugeFile() {
        SITE.answer(FILE, Answer.ok("text/plain", "x".repeat(MAX_FILE + 10) + TOKEN));

        VerificationAttempt attempt = verifier().wellKnownFile(DOMAIN, TOKEN).block();

        assertThat(attempt.outcome()).isEqualTo(Outcome.WRONG_TOKEN);
        assertThat(attempt.detail()).contains("only the first 64 KiB were read");
    }

    @Test
    void followsRedirectsWithinTheDomainButNotToAnotherHost() {
        SITE.answer(FILE, Answer.redirect("/verification/token.txt"));
        SITE.answer("/verification/token.txt", Answer.ok("text/plain", TOKEN));
        assertThat(verifier().wellKnownFile(DOMAIN, TOKEN).block().outcome()).isEqualTo(Outcome.VERIFIED);

        SITE.answer(FILE, Answer.redirect("http://127.0.0.1:" + SITE.port() + "/verification/token.txt"));
        VerificationAttempt elsewhere = verifier().wellKnownFile(DOMAIN, TOKEN).block();
        assertThat(elsewhere.outcome()).isEqualTo(Outcome.REDIRECT_REFUSED);
        assertThat(elsewhere.detail()).contains("redirects to another host");

        SITE.answer(FILE, Answer.redirect(FILE));
        VerificationAttempt loop = verifier().wellKnownFile(DOMAIN, TOKEN).block();
        assertThat(loop.outcome()).isEqualTo(Outcome.REDIRECT_REFUSED);
        assertThat(loop.detail()).contains("more than 3 redirects");
    }

    @Test
    void refusesLoopbackAndPrivateAddressesUnlessAllowed() {
        SITE.answer(FILE, Answer.ok("text/plain", TOKEN));
        SITE.answer("/", Answer.ok("text/html", homePageWith(
                "<meta name=\"concierge-verification\" content=\"" + TOKEN + "\">")));

        DomainVerifier.Result result = verify(verifier("http", SITE.port(), false));

        assertThat(result.verified()).isFalse();
        assertThat(result.attempts().get(0).outcome()).isEqualTo(Outcome.BLOCKED_ADDRESS);
        assertThat(result.attempts().get(0).detail()).contains("127.0.0.1", "not a public address");
        assertThat(result.attempts().get(2).outcome()).isEqualTo(Outcome.BLOCKED_ADDRESS);
        assertThat(SITE.hits(FILE)).isZero();
        assertThat(SITE.hits("/")).isZero();
    }

    @Test
    void reportsTlsFailuresTimeoutsAndRefusedConnections() throws Exception {
        // https against a server that answers in plain text: the handshake fails
        try (ServerSocket plain = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerPlainText(plain), "plain-text-server");
            server.setDaemon(true);
            server.start();
            VerificationAttempt tls = verifier("https", plain.getLocalPort(), true).wellKnownFile(DOMAIN, TOKEN)
                    .block();
            assertThat(tls.outcome()).isEqualTo(Outcome.TLS_ERROR);
            assertThat(tls.detail()).isEqualTo("TLS handshake with localhost failed: the server did not answer "
                    + "with TLS");
            assertThat(tls.target()).startsWith("https://");
        }

        SITE.answer(FILE, Answer.ok("text/plain", TOKEN).delayedBy(6000));
        VerificationAttempt slow = verifier().wellKnownFile(DOMAIN, TOKEN).block();
        assertThat(slow.outcome()).isEqualTo(Outcome.TIMEOUT);

        VerificationAttempt refused = verifier("http", unusedPort(), true).wellKnownFile(DOMAIN, TOKEN).block();
        assertThat(refused.outcome()).isEqualTo(Outcome.CONNECTION_FAILED);
        assertThat(refused.detail()).isEqualTo("localhost refused the connection");
    }

    // --- (b) the DNS TXT record

    @Test
    void verifiesByTheTxtRecordWhenTheFileIsMissing() {
        DNS.txt(TXT_NAME, "v=spf1 -all", TOKEN);

        DomainVerifier.Result result = verify(verifier());

        assertThat(result.verified()).isTrue();
        assertThat(result.method()).isEqualTo(VerificationMethod.DNS_TXT);
        assertThat(outcomes(result)).containsExactly(Outcome.NOT_FOUND, Outcome.VERIFIED);
        assertThat(result.attempts().get(1).target()).isEqualTo(TXT_NAME);
    }

    @Test
    void findsTheTokenInATxtRecordOfSeveralStrings() {
        DNS.txtStrings(TXT_NAME, "concierge-verification", TOKEN);

        assertThat(verifier().dnsTxt(DOMAIN, TOKEN).block().outcome()).isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void reportsNxdomainNoRecordWrongTokenServfailAndTimeout() {
        DomainVerifier verifier = verifier();
        assertThat(verifier.dnsTxt(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.NXDOMAIN);
            assertThat(attempt.detail()).isEqualTo(TXT_NAME + " does not exist (NXDOMAIN)");
        });

        DNS.txt(TXT_NAME);
        assertThat(verifier.dnsTxt(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(attempt.detail()).isEqualTo(TXT_NAME + " has no TXT record");
        });

        DNS.txt(TXT_NAME, "concierge-an-older-token");
        assertThat(verifier.dnsTxt(DOMAIN, TOKEN).block().outcome()).isEqualTo(Outcome.WRONG_TOKEN);

        DNS.clear();
        DNS.servfail(TXT_NAME);
        assertThat(verifier.dnsTxt(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.DNS_ERROR);
            assertThat(attempt.detail()).contains("SERVFAIL");
        });

        DNS.clear();
        DNS.silent(TXT_NAME);
        assertThat(verifier.dnsTxt(DOMAIN, TOKEN).block().outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    // --- (c) the meta tag

    @Test
    void verifiesByTheMetaTagWhenFileAndRecordAreMissing() {
        SITE.answer("/", Answer.ok("text/html; charset=utf-8", homePageWith(
                "<meta property=\"og:title\" content=\"Shop\"><META NAME=\"Concierge-Verification\" CONTENT=\""
                        + TOKEN + "\">")));

        DomainVerifier.Result result = verify(verifier());

        assertThat(result.verified()).isTrue();
        assertThat(result.method()).isEqualTo(VerificationMethod.META_TAG);
        assertThat(outcomes(result)).containsExactly(Outcome.NOT_FOUND, Outcome.NXDOMAIN, Outcome.VERIFIED);
    }

    @Test
    void reportsAMissingTagAWrongTokenAndAMissingHomePage() {
        DomainVerifier verifier = verifier();
        assertThat(verifier.metaTag(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(attempt.detail()).contains("HTTP 404");
        });

        SITE.answer("/", Answer.ok("text/html", homePageWith("<meta name=\"description\" content=\"" + TOKEN + "\">")));
        assertThat(verifier.metaTag(DOMAIN, TOKEN).block()).satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(attempt.detail()).contains("no <meta name=\"concierge-verification\"> tag");
        });

        SITE.answer("/", Answer.ok("text/html", homePageWith(
                "<meta name=\"concierge-verification\" content=\"concierge-an-older-token\">")));
        assertThat(verifier.metaTag(DOMAIN, TOKEN).block().outcome()).isEqualTo(Outcome.WRONG_TOKEN);
    }

    @Test
    void saysWhyEachMethodFailedWhenNoneSucceeds() {
        SITE.answer(FILE, Answer.ok("text/plain", "concierge-an-older-token"));
        DNS.servfail(TXT_NAME);
        SITE.answer("/", Answer.status(503));

        DomainVerifier.Result result = verify(verifier());

        assertThat(result.verified()).isFalse();
        assertThat(result.method()).isNull();
        assertThat(result.attempts()).extracting(VerificationAttempt::method).containsExactly(
                VerificationMethod.WELL_KNOWN_FILE, VerificationMethod.DNS_TXT, VerificationMethod.META_TAG);
        assertThat(outcomes(result)).containsExactly(Outcome.WRONG_TOKEN, Outcome.DNS_ERROR, Outcome.HTTP_ERROR);
        assertThat(result.attempts()).allSatisfy(attempt -> assertThat(attempt.detail()).isNotBlank());
    }

    /** Answers every connection with a plain-text HTTP error, whatever it receives. */
    private static void answerPlainText(ServerSocket server) {
        while (!server.isClosed()) {
            try (java.net.Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[1024]);
                socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
