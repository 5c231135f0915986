package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.support.TenantLlmEvents;
import dev.concierge.chat.tenants.TenantSecrets;
import dev.concierge.chat.tenants.TenantSettings;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TenantModelsTest {

    private static TenantSettings.Llm openAi(String tenant, String model) {
        return new TenantSettings.Llm("openai", "http://127.0.0.1:9/v1", model, TenantLlmEvents.seal("sk-" + tenant, tenant));
    }

    @Test
    void keepsOneClientPerTenantUntilItsSettingsChange() {
        TenantModels models = new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 10);
        TenantSettings.Llm first = openAi("a", "m1");

        LlmResponder responder = models.responderFor("a", first);

        assertThat(models.responderFor("a", first)).isSameAs(responder);
        assertThat(models.responderFor("a", openAi("a", "m2"))).isNotSameAs(responder);
        assertThat(models.size()).isEqualTo(1);
    }

    @Test
    void everyTenantHasItsOwnCircuitBreaker() {
        TenantModels models = new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 10);

        LlmResponder a = models.responderFor("a", openAi("a", "m"));
        LlmResponder b = models.responderFor("b", openAi("b", "m"));
        a.circuit().transitionToOpenState();

        assertThat(b.circuit().getState()).isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
    }

    @Test
    void keepsAtMostTheConfiguredNumberDroppingTheLeastRecentlyUsed() {
        TenantModels models = new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 2);
        TenantSettings.Llm a = openAi("a", "m");
        LlmResponder first = models.responderFor("a", a);
        models.responderFor("b", openAi("b", "m"));
        models.responderFor("a", a); // a used again: b is now the least recently used
        models.responderFor("c", openAi("c", "m"));

        assertThat(models.size()).isEqualTo(2);
        assertThat(models.responderFor("a", a)).isSameAs(first);
    }

    @Test
    void refusesAKeySealedForAnotherTenant() {
        TenantModels models = new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 2);

        assertThatThrownBy(() -> models.responderFor("b", openAi("a", "m"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sk-a");
    }

    @Test
    void tenantEndpointsOnPrivateAddressesAreNotCalledUnlessAllowed() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            TenantSettings.Llm local = new TenantSettings.Llm("openai",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "m", TenantLlmEvents.seal("sk-a", "a"));
            askIgnoringFailure(new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 10, false)
                    .responderFor("a", local));
            assertThat(requests).hasValue(0);

            askIgnoringFailure(new TenantModels(TenantSecrets.development(), null, ContextBudget.DEFAULT, 10, true)
                    .responderFor("a", local));
            assertThat(requests.get()).isPositive();
        } finally {
            server.stop(0);
        }
    }

    private static void askIgnoringFailure(LlmResponder responder) {
        try {
            responder.answer("hello?", List.of(), List.of()).block(Duration.ofSeconds(60));
        } catch (RuntimeException expected) {
            // refused or failed: only whether the endpoint was called matters here
        }
    }
}
