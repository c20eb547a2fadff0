package io.poolgate.api;

import static io.poolgate.api.Gateway.eventually;
import static io.poolgate.api.Gateway.inUse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "No input may produce a 500": a table of bad requests, each answered with the status SPEC §3.5
 * gives it, as problem+json whose detail names what was wrong, leaving every pool whole.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class BadInputTest {

    private static final String JSON = "application/json";
    private static final String QUERY = "/api/v1/pools/main/query";
    private static final String BATCH = "/api/v1/pools/main/batch";
    private static final String COMMAND = "/api/v1/pools/cache/command";
    private static final String PIPELINE = "/api/v1/pools/cache/pipeline";
    private static final String SCALE = "/api/v1/pools/main/scale";
    /** quarkus.http.limits.max-body-size */
    private static final int BODY_LIMIT = 1024 * 1024;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI gateway;

    /** One bad request and what the gateway must answer to it. */
    record Row(String name, String method, String path, String contentType, byte[] body, int status, String detail,
            Map<String, String> headers, boolean chunked) {

        Row header(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Row(name, method, path, contentType, body, status, detail, more, chunked);
        }

        /** Sent with {@code Transfer-Encoding: chunked}, without a Content-Length. */
        Row withoutLength() {
            return new Row(name, method, path, contentType, body, status, detail, headers, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                // malformed JSON
                post("truncated JSON", QUERY, "{\"sql\": ", 400, "malformed JSON at line 1, column 9"),
                post("trailing garbage", QUERY, "{\"sql\": \"SELECT 1\"} x", 400, "malformed JSON"),
                post("single quotes", QUERY, "{'sql': 'SELECT 1'}", 400, "malformed JSON"),
                post("NaN", QUERY, "{\"sql\": \"SELECT $1::float8\", \"params\": [NaN]}", 400, "'NaN'"),
                post("a comment", QUERY, "{\"sql\": \"SELECT 1\" /* why not */}", 400, "malformed JSON"),
                post("a duplicate field", QUERY, "{\"sql\": \"SELECT 1\", \"sql\": \"SELECT 2\"}", 400,
                        "Duplicate field 'sql'"),
                post("an empty body", QUERY, "", 400, "request body is empty"),
                post("a blank body", QUERY, "  \n\t ", 400, "request body is blank"),
                post("invalid UTF-8 in the SQL", QUERY, bytes("{\"sql\": \"SELECT '", new byte[] { (byte) 0xC3,
                        (byte) 0x28 }, "'\"}"), 400, "Invalid UTF-8"),
                post("invalid UTF-8 in a command", COMMAND, bytes("[\"SET\", \"bad-input:k\", \"", new byte[] {
                        (byte) 0xFF, (byte) 0xFE }, "\"]"), 400, "Invalid UTF-8"),
                post("5000 nested arrays as a parameter", QUERY, "{\"sql\": \"SELECT $1::jsonb\", \"params\": ["
                        + "[".repeat(5000) + "]".repeat(5000) + "]}", 400, "nesting depth"),
                post("a 1001-digit number", QUERY, "{\"sql\": \"SELECT $1::numeric\", \"params\": [" + "9".repeat(1001)
                        + "]}", 400, "Number value length"),

                // wrong top-level type
                post("an array for a query", QUERY, "[\"SELECT 1\"]", 400, "expected a JSON object like"),
                post("a string for a query", QUERY, "\"SELECT 1\"", 400, "got a string"),
                post("a number for a query", QUERY, "42", 400, "got a number"),
                post("null for a query", QUERY, "null", 400, "got null"),
                post("an object for a command", COMMAND, "{\"cmd\": \"GET\"}", 400,
                        "a Redis command is a non-empty JSON array"),
                post("a string for a command", COMMAND, "\"PING\"", 400, "a Redis command is a non-empty JSON array"),
                post("an empty command", COMMAND, "[]", 400, "a Redis command is a non-empty JSON array"),
                post("null in a command", COMMAND, "[\"GET\", null]", 400, "command element 1 must be a string or number"),

                // missing, unknown and mistyped fields
                post("no sql", QUERY, "{\"params\": []}", 400, "field 'sql' is required"),
                post("an unknown field", QUERY, "{\"sql\": \"SELECT 1\", \"timeout\": 5}", 400,
                        "unknown field 'timeout'"),
                post("sql a number", QUERY, "{\"sql\": 1}", 400, "field 'sql' must be a string, got a number"),
                post("sql an object", QUERY, "{\"sql\": {\"text\": \"SELECT 1\"}}", 400,
                        "field 'sql' must be a string, got an object"),
                post("sql an array", QUERY, "{\"sql\": [\"SELECT 1\"]}", 400, "field 'sql' must be a string, got an array"),
                post("params an object", QUERY, "{\"sql\": \"SELECT $1\", \"params\": {\"1\": 2}}", 400,
                        "field 'params' must be an array"),
                post("params a string", QUERY, "{\"sql\": \"SELECT $1\", \"params\": \"2\"}", 400,
                        "field 'params' must be an array"),
                post("readOnly a string", QUERY, "{\"sql\": \"SELECT 1\", \"readOnly\": \"yes\"}", 400,
                        "field 'readOnly' must be true or false"),
                post("rowMode another word", QUERY, "{\"sql\": \"SELECT 1\", \"rowMode\": \"table\"}", 400,
                        "field 'rowMode' must be \"object\" or \"array\""),
                post("rowMode a number", QUERY, "{\"sql\": \"SELECT 1\", \"rowMode\": 1}", 400, "field 'rowMode'"),
                post("an unknown isolation", BATCH, "{\"statements\": [{\"sql\": \"SELECT 1\"}], \"isolation\": "
                        + "\"chaos\"}", 400, "field 'isolation' must be"),
                post("empty sql", QUERY, "{\"sql\": \"\"}", 400, "field 'sql' is empty"),
                post("a NUL character in sql", QUERY, "{\"sql\": \"SELECT 1\\u0000\"}", 400,
                        "field 'sql' contains a NUL character"),
                post("too many params", QUERY, "{\"sql\": \"SELECT 1\", \"params\": [" + "0,".repeat(65_535) + "0]}",
                        400, "at most 65535"),

                // statements PostgreSQL refuses, parameters that do not fit
                post("two statements", QUERY, "{\"sql\": \"SELECT 1; SELECT 2\"}", 422,
                        "cannot insert multiple commands into a prepared statement"),
                post("more params than placeholders", QUERY, "{\"sql\": \"SELECT $1::int\", \"params\": [1, 2]}", 400,
                        "number of parameters"),
                post("fewer params than placeholders", QUERY, "{\"sql\": \"SELECT $1::int + $2::int\", \"params\": [1]}",
                        400, "number of parameters"),
                post("a word for a date", QUERY, "{\"sql\": \"SELECT $1::date\", \"params\": [\"x\"]}", 400,
                        "parameter $1: expected a date"),
                post("an object for an int array", QUERY, "{\"sql\": \"SELECT $1::int[]\", \"params\": [{}]}", 400,
                        "parameter $1: expected a JSON array"),
                post("1e400 for a float8", QUERY, "{\"sql\": \"SELECT $1::float8 AS f\", \"params\": [1e400]}", 400,
                        "parameter $1"),
                post("1e400 for an int", QUERY, "{\"sql\": \"SELECT $1::int AS n\", \"params\": [1e400]}", 400,
                        "parameter $1: expected a whole number from -2147483648 to 2147483647 (int4), got 1E+400"),
                post("1e-400 for a float8", QUERY, "{\"sql\": \"SELECT $1::float8 AS f\", \"params\": [1e-400]}",
                        400, "parameter $1: expected a number within the range of float8"),
                post("an exponent past any decimal", QUERY, "{\"sql\": \"SELECT $1::numeric AS n\", \"params\": "
                        + "[1e9999999999]}", 400, "unreadable JSON number: Value \"1e9999999999\""),
                post("a numeric string past int8", QUERY, "{\"sql\": \"SELECT $1::bigint AS n\", \"params\": "
                        + "[\"9223372036854775808\"]}", 400, "parameter $1: expected a whole number"),
                post("\"NaN\" for an int", QUERY, "{\"sql\": \"SELECT $1::int AS n\", \"params\": [\"NaN\"]}", 400,
                        "parameter $1: expected a number, got \"NaN\""),
                post("a number past int8 in an int8 array", QUERY, "{\"sql\": \"SELECT $1::bigint[] AS n\", "
                        + "\"params\": [[1, 9223372036854775808]]}", 400, "parameter $1: expected a JSON array, each element"),
                post("a 400-digit integer for an int", QUERY, "{\"sql\": \"SELECT $1::int AS n\", \"params\": ["
                        + "9".repeat(400) + "]}", 400, "parameter $1"),
                post("a 400-digit integer for a float8", QUERY, "{\"sql\": \"SELECT $1::float8 AS f\", \"params\": ["
                        + "9".repeat(400) + "]}", 400, "parameter $1"),
                post("an int8 for an int", QUERY, "{\"sql\": \"SELECT $1::int AS n\", \"params\": [3000000000]}", 400,
                        "parameter $1"),
                post("a fraction for an int", QUERY, "{\"sql\": \"SELECT $1::int AS n\", \"params\": [1.5]}", 400,
                        "parameter $1"),

                // pools, sessions and kinds
                post("an unknown pool", "/api/v1/pools/nope/query", "{\"sql\": \"SELECT 1\"}", 404,
                        "no pool named 'nope'"),
                request("the status of an unknown pool", "GET", "/api/v1/pools/nope", null, "", 404,
                        "no pool named 'nope'"),
                post("pausing an unknown pool", "/api/v1/pools/nope/pause", "", 404, "no pool named 'nope'"),
                request("an unknown session", "GET", "/api/v1/sessions/nope", null, "", 404, "no session nope"),
                post("a query on an unknown session", "/api/v1/sessions/nope/query", "{\"sql\": \"SELECT 1\"}", 404,
                        "no session nope"),
                request("releasing an unknown session", "DELETE", "/api/v1/sessions/nope", null, "", 404,
                        "no session nope"),
                post("SQL to the Redis pool", "/api/v1/pools/cache/query", "{\"sql\": \"SELECT 1\"}", 400,
                        "pool 'cache' is a redis pool"),
                post("a batch to the Redis pool", "/api/v1/pools/cache/batch", "{\"statements\": [{\"sql\": "
                        + "\"SELECT 1\"}]}", 400, "pool 'cache' is a redis pool"),
                post("a command to a PostgreSQL pool", "/api/v1/pools/main/command", "[\"PING\"]", 400,
                        "pool 'main' is a postgres pool"),
                post("a session with a bad idle timeout", "/api/v1/pools/main/sessions", "{\"idleTimeout\": "
                        + "\"forever\"}", 400, "field 'idleTimeout' must be a positive duration"),
                post("a session with an unknown option", "/api/v1/pools/main/sessions", "{\"ttl\": 5}", 400,
                        "unknown field 'ttl'"),

                // batches
                post("an empty batch", BATCH, "{\"statements\": []}", 400, "field 'statements' is empty"),
                post("a batch without statements", BATCH, "{}", 400, "field 'statements' is required"),
                post("statements a string", BATCH, "{\"statements\": \"SELECT 1\"}", 400,
                        "field 'statements' must be an array"),
                post("a batch entry that is a string", BATCH, "{\"statements\": [\"SELECT 1\"]}", 400,
                        "statements[0] must be an object"),
                post("a batch entry with an unknown field", BATCH, "{\"statements\": [{\"sql\": \"SELECT 1\", "
                        + "\"x\": 1}]}", 400, "unknown field 'x'"),
                post("a failing statement in a batch", BATCH, "{\"statements\": [{\"sql\": \"SELECT 1\"}, {\"sql\": "
                        + "\"SELECT nope\"}]}", 422, "column \"nope\" does not exist"),

                // Redis commands and pipelines
                post("SUBSCRIBE", COMMAND, "[\"SUBSCRIBE\", \"news\"]", 400, "command SUBSCRIBE is not allowed"),
                post("MONITOR", COMMAND, "[\"MONITOR\"]", 400, "command MONITOR is not allowed"),
                post("MULTI outside a transaction", COMMAND, "[\"MULTI\"]", 400, "command MULTI spans several commands"),
                post("an empty command name", COMMAND, "[\"\"]", 400, "the command name (element 0) is empty"),
                post("a pipeline entry that is a string", PIPELINE, "[[\"PING\"], \"GET\"]", 400,
                        "commands[1]: a Redis command is a non-empty JSON array"),
                post("an empty pipeline", PIPELINE, "[]", 400, "a pipeline is a non-empty JSON array"),
                post("MULTI in a plain pipeline", PIPELINE, "[[\"MULTI\"], [\"PING\"]]", 400,
                        "commands[0]: command MULTI spans several commands"),
                post("atomic=maybe", PIPELINE + "?atomic=maybe", "[[\"PING\"]]", 400,
                        "query parameter 'atomic' must be true or false, got 'maybe'"),
                post("a bad Upstash-Encoding", COMMAND, "[\"PING\"]", 400, "header Upstash-Encoding must be base64")
                        .header("Upstash-Encoding", "hex"),

                // scaling
                post("scale by delta and target", SCALE, "{\"delta\": 1, \"target\": 3}", 400,
                        "give exactly one of 'delta' and 'target'"),
                post("scale by nothing", SCALE, "{}", 400, "give exactly one of 'delta' and 'target'"),
                post("scale to a fraction", SCALE, "{\"target\": 2.5}", 400, "field 'target' must be a whole number"),
                post("scale to a string", SCALE, "{\"target\": \"3\"}", 400, "field 'target' must be a whole number"),
                post("scale to 1e400", SCALE, "{\"target\": 1e400}", 400, "field 'target' must be a whole number"),
                post("scale to a negative target", SCALE, "{\"target\": -1}", 400, "field 'target' must be >= 0"),
                post("scale with an unknown field", SCALE, "{\"size\": 3}", 400, "unknown field 'size'"),

                // the body limit
                post("a body over the limit", QUERY, oversized(), 413, "1048576 bytes"),
                post("a chunked body over the limit", QUERY, oversized(), 413, "1048576 bytes").withoutLength(),
                post("a chunked body within the limit", QUERY, "{\"sql\": 1}", 400, "field 'sql' must be a string")
                        .withoutLength(),

                // HTTP itself: methods, paths, media types
                request("GET on /query", "GET", QUERY, null, "", 405, "GET is not allowed on " + QUERY),
                request("PUT on a pool", "PUT", "/api/v1/pools/main", JSON, "{}", 405,
                        "PUT is not allowed on /api/v1/pools/main"),
                request("an unknown path", "GET", "/api/v1/nope", null, "", 404, "no endpoint for GET /api/v1/nope"),
                request("an unknown path under a pool", "POST", "/api/v1/pools/main/nope", JSON, "{}", 404,
                        "/api/v1/pools/main/nope"),
                request("a text body that is not JSON", "POST", QUERY, "text/plain", "SELECT 1", 400,
                        "malformed JSON"),
                request("a form body that is not JSON", "POST", QUERY, "application/x-www-form-urlencoded", "sql=SELECT+1",
                        400, "malformed JSON"),
                request("no content type and a bad field", "POST", QUERY, null, "{\"sql\": 1}", 400,
                        "field 'sql' must be a string"),
                request("a garbled content type", "POST", QUERY, ";;;", "{\"sql\": \"SELECT 1\"}", 400,
                        "check its Content-Type (;;;)"),
                post("a JSON answer refused", QUERY, "{\"sql\": \"SELECT 1\"}", 406, "cannot answer in text/html")
                        .header("Accept", "text/html"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersWithAProblemAndKeepsThePoolsWhole(Row row) throws Exception {
        HttpResponse<String> response = send(row);
        int status = response.statusCode();
        assertTrue(status < 500 || status == row.status(), () -> row + " answered " + status + ": " + response.body());
        assertEquals(row.status(), status, () -> row + " answered " + response.body());
        assertThat(row + ": content type", response.headers().firstValue("Content-Type").orElse(""),
                startsWith("application/problem+json"));
        JsonPath problem = JsonPath.from(response.body());
        assertThat(row + ": type", problem.getString("type"), startsWith("urn:poolgate:problem:"));
        assertEquals(row.status(), problem.getInt("status"), () -> row + ": status member");
        assertThat(row + ": detail", problem.getString("detail"), containsString(row.detail()));
        assertTrue(eventually(Duration.ofSeconds(2), () -> inUse("main") == 0 && inUse("cache") == 0),
                () -> row + " left connections in use: main " + inUse("main") + ", cache " + inUse("cache"));
    }

    private HttpResponse<String> send(Row row) throws Exception {
        BodyPublisher body = row.body().length == 0 ? BodyPublishers.noBody()
                : row.chunked() ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(row.body()))
                : BodyPublishers.ofByteArray(row.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(row.path()))
                .timeout(Duration.ofSeconds(30)).method(row.method(), body);
        if (row.contentType() != null) {
            request.header("Content-Type", row.contentType());
        }
        row.headers().forEach(request::header);
        if (row.status() != 413) {
            return CLIENT.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        // the gateway closes the connection after refusing a body over the limit: a client of its own
        // keeps that closed connection out of the shared client's pool, where the next row would get it
        HttpClient once = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return once.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static Row post(String name, String path, String body, int status, String detail) {
        return post(name, path, body.getBytes(StandardCharsets.UTF_8), status, detail);
    }

    private static Row post(String name, String path, byte[] body, int status, String detail) {
        return new Row(name, "POST", path, JSON, body, status, detail, Map.of(), false);
    }

    private static Row request(String name, String method, String path, String contentType, String body, int status,
            String detail) {
        return new Row(name, method, path, contentType, body.getBytes(StandardCharsets.UTF_8), status, detail, Map.of(),
                false);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A well-formed query one byte over the limit. */
    private static byte[] oversized() {
        String head = "{\"sql\": \"SELECT 1\", \"params\": [\"";
        String tail = "\"]}";
        return (head + "x".repeat(BODY_LIMIT + 1 - head.length() - tail.length()) + tail)
                .getBytes(StandardCharsets.UTF_8);
    }
}
