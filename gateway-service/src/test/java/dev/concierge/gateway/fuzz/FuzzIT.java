package dev.concierge.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.concierge.gateway.support.GatewayIntegrationTest;

/**
 * Sends every public endpoint bad input: empty, {@code null} and non-object bodies, malformed, huge and deeply
 * nested JSON, each field with wrong types, odd Unicode (bidi overrides, zero-width, escaped lone surrogates,
 * emoji, NUL, invalid UTF-8) and overlong strings, bad query parameters (also malformed percent-encoding, sent
 * raw) and bad path ids. The services behind are up (stubs answering 200, or 400 problem+json to a body that is
 * no JSON object), so the gateway itself must never answer 5xx, and every 4xx must be
 * {@code application/problem+json} without a stack trace.
 */
class FuzzIT extends GatewayIntegrationTest {

    private enum Auth { ADMIN, API_KEY, WIDGET, NONE }

    private record Endpoint(String method, String path, Auth auth, List<String> fields) {
    }

    private static final String DOMAIN = "localhost";
    private static final String ORIGIN = "https://localhost";
    private static final int LIMIT = 64 * 1024;

    @LocalServerPort
    int gatewayPort;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> violations = new ArrayList<>();
    private int sent;
    private CreatedTenant tenant;

    private List<Endpoint> endpoints(String id) {
        List<String> tenantFields = List.of("domain", "name", "allowed_origins", "rate_limit_plan", "support_email",
                "status");
        return List.of(
                new Endpoint("POST", "/api/admin/tenants", Auth.ADMIN, tenantFields),
                new Endpoint("GET", "/api/admin/tenants", Auth.ADMIN, List.of()),
                new Endpoint("GET", "/api/admin/tenants/" + id, Auth.ADMIN, List.of()),
                new Endpoint("PATCH", "/api/admin/tenants/" + id, Auth.ADMIN, tenantFields),
                new Endpoint("POST", "/api/admin/tenants/" + id + "/keys/rotate", Auth.ADMIN, List.of("key")),
                new Endpoint("POST", "/api/admin/tenants/" + id + "/verification", Auth.ADMIN, List.of()),
                new Endpoint("GET", "/api/admin/tenants/" + id + "/verification", Auth.ADMIN, List.of()),
                new Endpoint("POST", "/api/admin/tenants/" + id + "/verification/verify", Auth.ADMIN, List.of()),
                new Endpoint("POST", "/api/scrape", Auth.API_KEY, List.of("domain", "start_url", "max_pages",
                        "max_depth", "include", "exclude", "default_excludes", "recrawl_interval", "force_rescrape")),
                new Endpoint("GET", "/api/scrape", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/scrape/0d8a2f7e-0000-4000-8000-000000000001", Auth.API_KEY, List.of()),
                new Endpoint("DELETE", "/api/scrape/0d8a2f7e-0000-4000-8000-000000000001", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/search", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/search/stats", Auth.API_KEY, List.of()),
                new Endpoint("POST", "/api/chat", Auth.WIDGET, List.of("message", "session_id", "domain")),
                new Endpoint("POST", "/api/chat", Auth.API_KEY, List.of("message", "session_id", "domain")),
                new Endpoint("GET", "/api/conversations/c2d3e4f5-0000-4000-8000-000000000001", Auth.API_KEY,
                        List.of()),
                new Endpoint("GET", "/api/commerce/products", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/commerce/products/sku-1", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/commerce/products/sku-1/stock", Auth.API_KEY, List.of()),
                new Endpoint("POST", "/api/commerce/orders/lookup", Auth.API_KEY, List.of("order_number", "email",
                        "domain")),
                new Endpoint("GET", "/api/commerce/connection", Auth.API_KEY, List.of()),
                new Endpoint("GET", "/api/health", Auth.NONE, List.of()),
                new Endpoint("GET", "/api/health/live", Auth.NONE, List.of()));
    }

    /** Whole bodies that are wrong whatever the endpoint. */
    private static Map<String, byte[]> badBodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        for (String json : List.of("null", "[]", "\"text\"", "123", "true", "{", "{\"domain\":", "}{", "{\"a\" 1}",
                "{\"domain\":\"localhost\",\"domain\":\"other.example\"}", "{\"\\ud800\":1}", "{\"a\":\"\\u0000\"}",
                "[" + "{}".repeat(5) + "]")) {
            bodies.put(json, utf8(json));
        }
        bodies.put("nested arrays 20000 deep", utf8("[".repeat(20_000) + "]".repeat(20_000)));
        bodies.put("nested objects 5000 deep", utf8("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        bodies.put("huge", utf8("{\"message\":\"" + "x".repeat(LIMIT + 100) + "\"}"));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80,
                (byte) 0xff, '"', '}'});
        bodies.put("UTF-16", "{\"a\":1}".getBytes(StandardCharsets.UTF_16));
        return bodies;
    }

    /** JSON values put in each field: wrong types, odd Unicode, overlong. */
    private static List<String> badValues() {
        return List.of("123", "-1", "1e309", "9223372036854775808", "true", "null", "[]", "{}", "[1,\"a\",null]",
                "{\"nested\":{\"deeper\":[]}}",
                "\"\"", "\"   \"", "\"\\u202Eexample.com\"", "\"shop\\u200B.example\"", "\"\\ud800\"", "\"\\udc00x\"",
                "\"😀🛒\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0007\\b\\f\\r\\n\"", "\"" + "x".repeat(5_000) + "\"",
                "\"%00\"", "\"<script>alert(1)</script>\"", "\"' OR 1=1 --\"", "\"../../etc/passwd\"",
                "\"https://169.254.169.254/latest/meta-data\"", "\"http://[::1]:80/\"");
    }

    private static List<String> badQueries() {
        return List.of("domain=", "domain=%20", "domain=not%20a%20domain", "domain=" + "a".repeat(300) + ".example",
                "domain=%E2%80%AEevil.example", "domain=%F0%9F%98%80.example", "domain=localhost&domain=other.example",
                "domain=localhost%00.example", "q=" + "x".repeat(2_000), "q=%00", "q=%E2%80%8B", "q=%F0%9F%98%80",
                "limit=-1", "limit=abc", "limit=99999999999999999999", "limit=1e309", "min_score=NaN", "mode=%27",
                "page=-5&size=0", "collapse=maybe", "a[b]=1", "%3D%3D=%26%26");
    }

    private static List<String> badIds() {
        return List.of("not-a-uuid", "%00", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", "x".repeat(300),
                "00000000-0000-0000-0000-000000000000", "%E2%80%AE", "null", "-1", "%20");
    }

    /** Percent-encoding no client library would send, written to the socket as is. */
    private static List<String> rawTargets() {
        return List.of("/api/search?q=%ZZ", "/api/search?domain=%", "/api/search?q=%ED%A0%80",
                "/api/admin/tenants/%ZZ", "/api/scrape/%C0%AF", "/api/search?q=a%00b", "/api/health?%FF");
    }

    @Test
    void noBadInputMakesTheGatewayFailAndEveryRefusalIsAProblem() throws Exception {
        tenant = createTenant(DOMAIN, Map.of("rate_limit_plan", "unlimited", "allowed_origins", List.of(ORIGIN)));
        createTenant("other.example");

        for (Endpoint endpoint : endpoints(tenant.id())) {
            if (!endpoint.method().equals("GET") && !endpoint.method().equals("DELETE")) {
                for (Map.Entry<String, byte[]> body : badBodies().entrySet()) {
                    send(endpoint, endpoint.path(), "application/json", body.getValue(), "body " + body.getKey());
                }
                for (String field : endpoint.fields()) {
                    for (String value : badValues()) {
                        String json = "{\"domain\":\"" + DOMAIN + "\",\"" + field + "\":" + value + "}";
                        if (field.equals("domain")) {
                            json = "{\"domain\":" + value + "}";
                        }
                        send(endpoint, endpoint.path(), "application/json", utf8(json), field + "=" + abbreviate(value));
                    }
                }
                send(endpoint, endpoint.path(), "text/plain", utf8("domain=localhost"), "text/plain body");
            }
            for (String query : badQueries()) {
                send(endpoint, endpoint.path() + "?" + query, null, null, "query " + abbreviate(query));
            }
        }
        for (String id : badIds()) {
            for (String template : List.of("/api/admin/tenants/%s", "/api/admin/tenants/%s/verification",
                    "/api/scrape/%s", "/api/conversations/%s", "/api/commerce/products/%s/stock")) {
                Auth auth = template.startsWith("/api/admin") ? Auth.ADMIN : Auth.API_KEY;
                String path = template.formatted(id);
                send(new Endpoint("GET", path, auth, List.of()), path, null, null, "id " + abbreviate(id));
            }
            String patch = "/api/admin/tenants/" + id;
            send(new Endpoint("PATCH", patch, Auth.ADMIN, List.of()), patch, "application/json",
                    utf8("{\"name\":\"x\"}"), "id " + abbreviate(id));
        }
        for (String target : rawTargets()) {
            raw(target);
        }
        // odd credentials and headers
        for (String key : List.of("", "Bearer", "Bearer ", "Bearer ck_live_", "Bearer cw_" + "A".repeat(43),
                "Bearer " + "x".repeat(4_000), "Basic Og==", "Bearer ck_live_%00")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/search?q=x"))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (!key.isEmpty()) {
                request.header("Authorization", key);
            }
            record("GET /api/search Authorization=" + abbreviate(key), request.build());
        }
        for (String widgetKey : List.of("", "cw_", "ck_live_x", "cw_" + "\u0001".repeat(3))) {
            record("POST /api/chat X-Widget-Key=" + abbreviate(widgetKey), HttpRequest.newBuilder(URI.create(base()
                            + "/api/chat?domain=localhost"))
                    .header("X-Widget-Key", widgetKey.replace('\u0001', 'A'))
                    .header("Origin", "null")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}")).build());
        }

        assertThat(sent).isGreaterThan(1_000);
        assertThat(violations).as("%d of %d requests", violations.size(), sent).isEmpty();
    }

    private void send(Endpoint endpoint, String pathAndQuery, String contentType, byte[] body, String what)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        switch (endpoint.auth()) {
            case ADMIN -> request.header("Authorization", "Bearer " + ADMIN_KEY);
            case API_KEY -> request.header("Authorization", "Bearer " + tenant.apiKey());
            case WIDGET -> request.header("X-Widget-Key", tenant.widgetKey()).header("Origin", ORIGIN);
            case NONE -> {
            }
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(endpoint.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        record(endpoint.method() + " " + endpoint.path() + " (" + endpoint.auth() + ") " + what, request.build());
    }

    private void record(String what, HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        check(what, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private void check(String what, int status, String contentType, String body) {
        sent++;
        if (status >= 500) {
            violations.add(what + " -> " + status + " " + abbreviate(body));
        } else if (status >= 400 && !contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            violations.add(what + " -> " + status + " with Content-Type '" + contentType + "'");
        } else if (status >= 400 && (body.contains("Exception") || body.contains("\tat "))) {
            violations.add(what + " -> " + status + " leaks internals: " + abbreviate(body));
        }
    }

    /** A request written to the socket byte for byte: status line, Content-Type and body of the answer. */
    private void raw(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gatewayPort)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + tenant.apiKey()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
            String[] statusLine = head.split("\r\n")[0].split(" ");
            String contentType = head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).strip()).findFirst().orElse("");
            check("raw GET " + target, Integer.parseInt(statusLine[1]), contentType,
                    headerEnd < 0 ? "" : text.substring(headerEnd + 4));
        }
    }

    private String base() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "…(" + oneLine.length() + ")" : oneLine;
    }
}
