package io.poolgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /query} and {@code /command} are served by {@link DirectRoutes}, a request with a chunked
 * body by the JAX-RS methods behind them: both must give the same answer, status, headers and body,
 * for every kind of outcome.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class DirectRoutesTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Members that differ from one run of the same request to the next. */
    private static final List<String> VARYING = List.of("durationMs", "waitedMs", "state");

    @TestHTTPResource("/")
    URI gateway;

    /**
     * A request and the status both paths must answer it with; its headers go over
     * {@code Content-Type: application/json} (an empty value: the header is not sent).
     */
    record Case(String name, String pool, String endpoint, String body, Map<String, String> headers, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a statement", "main", "query", "{\"sql\": \"SELECT $1::int + 1 AS answer\", \"params\": [41]}",
                        Map.of(), 200),
                new Case("rows as arrays", "main", "query", "{\"sql\": \"SELECT 1 AS a, 'x' AS b\", \"rowMode\": \"array\"}",
                        Map.of(), 200),
                new Case("malformed JSON", "main", "query", "{\"sql\": ", Map.of(), 400),
                new Case("a wrong type", "main", "query", "{\"sql\": 1}", Map.of(), 400),
                new Case("an unknown pool", "nowhere", "query", "{\"sql\": \"SELECT 1\"}", Map.of(), 404),
                new Case("SQL on a Redis pool", "cache", "query", "{\"sql\": \"SELECT 1\"}", Map.of(), 400),
                new Case("an SQL error", "main", "query", "{\"sql\": \"SELECT 1/0\"}", Map.of(), 422),
                new Case("a bad parameter", "main", "query", "{\"sql\": \"SELECT $1::int\", \"params\": [1.5]}",
                        Map.of(), 400),
                new Case("a write refused in a read-only statement", "main", "query",
                        "{\"sql\": \"CREATE TEMP TABLE t (i int)\", \"readOnly\": true}", Map.of(), 422),
                new Case("a statement timeout", "tiny", "query", "{\"sql\": \"SELECT pg_sleep(3)\"}", Map.of(), 504),
                new Case("a command", "cache", "command", "[\"SET\", \"direct-routes\", \"hello\"]", Map.of(), 200),
                new Case("a command as `curl -d` sends it (a form's content type)", "cache", "command",
                        "[\"GET\", \"direct-routes\"]", Map.of("Content-Type", "application/x-www-form-urlencoded"), 200),
                new Case("a statement without a content type", "main", "query", "{\"sql\": \"SELECT 2 AS two\"}",
                        Map.of("Content-Type", ""), 200),
                new Case("a command's reply in base64", "cache", "command", "[\"GET\", \"direct-routes\"]",
                        Map.of("Upstash-Encoding", "base64"), 200),
                new Case("an encoding that does not exist", "cache", "command", "[\"GET\", \"direct-routes\"]",
                        Map.of("Upstash-Encoding", "rot13"), 400),
                new Case("a command that is not an array", "cache", "command", "{\"GET\": \"k\"}", Map.of(), 400),
                new Case("a Redis error", "cache", "command", "[\"INCR\", \"direct-routes\"]", Map.of(), 422),
                new Case("a command on a PostgreSQL pool", "main", "command", "[\"GET\", \"k\"]", Map.of(), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersLikeTheJaxRsMethod(Case c) throws Exception {
        HttpResponse<String> direct = send(c, false);
        HttpResponse<String> jaxRs = send(c, true);
        assertEquals(c.status(), direct.statusCode(), () -> c + " on the direct route: " + direct.body());
        assertEquals(c.status(), jaxRs.statusCode(), () -> c + " on the JAX-RS method: " + jaxRs.body());
        for (String header : List.of("Content-Type", "Retry-After", "Poolgate-Node")) {
            assertEquals(jaxRs.headers().firstValue(header), direct.headers().firstValue(header), () -> c + ": " + header);
        }
        assertEquals(comparable(jaxRs.body()), comparable(direct.body()), () -> c + ": body");
        assertTrue(Gateway.eventually(Duration.ofSeconds(5), () -> Gateway.inUse(c.pool().equals("nowhere") ? "main"
                : c.pool()) == 0), () -> c + " left a connection in use");
    }

    private HttpResponse<String> send(Case c, boolean chunked) throws Exception {
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("/api/v1/pools/" + c.pool() + "/"
                + c.endpoint())).timeout(Duration.ofSeconds(30))
                .POST(chunked ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : BodyPublishers.ofByteArray(body));
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json"));
        headers.putAll(c.headers());
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) { // an empty value: the header is not sent
                request.header(name, value);
            }
        });
        return CLIENT.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode comparable(String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        if (json instanceof ObjectNode object) {
            object.remove(VARYING);
        }
        return json;
    }
}
