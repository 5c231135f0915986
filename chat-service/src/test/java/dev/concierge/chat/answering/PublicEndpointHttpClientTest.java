package dev.concierge.chat.answering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublicEndpointHttpClientTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startLocalModel() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String local() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions";
    }

    private static HttpRequest post(String url) {
        return HttpRequest.builder().method(HttpMethod.POST).url(url).body("{}").build();
    }

    @Test
    void refusesCallsToLoopbackPrivateAndMetadataAddressesBeforeConnecting() {
        HttpClient client = PublicEndpointHttpClient.builder().connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1)).build();
        for (String url : new String[] {local(), "https://10.0.0.1/v1", "https://169.254.169.254/latest",
                "https://100.64.1.1/v1", "https://[::1]/v1", "https://[fd00:ec2::254]/v1", "http://localhost:9/v1"}) {
            assertThatThrownBy(() -> client.execute(post(url))).as(url)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a public address");
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void refusesStreamedCallsThroughTheListener() {
        HttpClient client = PublicEndpointHttpClient.builder().build();
        AtomicReference<Throwable> error = new AtomicReference<>();
        client.execute(post(local()), new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event) {
            }

            @Override
            public void onError(Throwable throwable) {
                error.set(throwable);
            }
        });
        assertThat(error.get()).isInstanceOf(InvalidRequestException.class);
        assertThat(requests).hasValue(0);
    }

    @Test
    void publicAddressesPassTheCheck() {
        PublicEndpointHttpClient.checkDestination("https://93.184.216.34/v1/chat/completions");
        PublicEndpointHttpClient.checkDestination("https://[2606:2800:220:1:248:1893:25c8:1946]/v1");
    }

    @Test
    void withoutTheCheckTheSameCallReachesTheLocalServer() {
        // what TenantModels uses when CHAT_LLM_ALLOW_PRIVATE_HOSTS=true: LangChain4j's default client
        SuccessfulHttpResponse response = HttpClientBuilderLoader.loadHttpClientBuilder().build().execute(post(local()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requests).hasValue(1);
    }
}
