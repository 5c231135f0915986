package dev.concierge.search;

import com.sun.net.httpserver.HttpServer;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import dev.concierge.embeddings.TextEmbeddings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local server speaking OpenAI's embeddings wire format ({@code POST /v1/embeddings}) for
 * {@code text-embedding-3-small}, so a second, 1536-dimensional model can be tested without the network.
 * Its vectors carry meaning: MiniLM's 384-d vector of the text, spread over 1536 components (each
 * component repeated four times), so similar texts stay similar and a model switch can be searched.
 */
final class FakeOpenAiEmbeddingServer implements AutoCloseable {

    private final HttpServer server;
    private final TextEmbeddings minilm = new EmbeddingModels(new OpenAiSettings(null, null, null, 0))
            .get(EmbeddingModelId.MINILM_L6_V2_Q);
    private final JsonMapper json = JsonMapper.builder().build();
    final AtomicInteger requests = new AtomicInteger();

    FakeOpenAiEmbeddingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            requests.incrementAndGet();
            JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
            List<String> inputs = new ArrayList<>();
            JsonNode input = request.get("input");
            if (input.isArray()) {
                input.forEach(n -> inputs.add(n.asString()));
            } else {
                inputs.add(input.asString());
            }
            StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[");
            for (int i = 0; i < inputs.size(); i++) {
                body.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                        .append(",\"embedding\":").append(vectorJson(spread(minilm.embed(inputs.get(i))))).append('}');
            }
            body.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** What this server answers for the text: for building events as the worker would. */
    float[] embed(String text) {
        return spread(minilm.embed(text));
    }

    private static float[] spread(float[] v) {
        float[] out = new float[1536];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i / 4] / 2f; // unit length kept: 4 copies of x/2 have the norm of x
        }
        return out;
    }

    private static String vectorJson(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
