package io.poolgate.upstash;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The Upstash format over plain HTTP: the exact answers the client decodes, and every refusal in its shape. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class UpstashHttpTest {

    static RequestSpecification upstash() {
        return given().header("Authorization", "Bearer any-token").contentType("application/json");
    }

    static ValidatableResponse post(String path, String body, boolean base64) {
        RequestSpecification request = upstash().body(body);
        if (base64) {
            request = request.header("Upstash-Encoding", "base64");
        }
        return request.post("/upstash/cache" + path).then().log().ifValidationFails();
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static int inUse(String pool) {
        return io.poolgate.api.Gateway.inUse(pool);
    }

    @Test
    void theResultKeyIsThereForNil() {
        post("", "[\"GET\", \"upstash-http:missing\"]", true).statusCode(200)
                .body("$", hasKey("result")).body("result", nullValue()).body("$", aMapWithSize(1));
    }

    @Test
    void base64CoversEveryStringStatusRepliesToo() {
        post("", "[\"SET\", \"upstash-http:s\", \"héllo\"]", true).statusCode(200).body("result", equalTo(b64("OK")));
        post("", "[\"PING\"]", true).statusCode(200).body("result", equalTo(b64("PONG")));
        post("", "[\"INCR\", \"upstash-http:n\"]", true).statusCode(200).body("result", equalTo(1));
        post("/pipeline", "[[\"SET\", \"upstash-http:s\", \"v\"], [\"GET\", \"upstash-http:s\"], [\"GET\", \"upstash-http:none\"]]", true)
                .statusCode(200)
                .body("result", contains(b64("OK"), b64("v"), null))
                .body("[2]", hasKey("result"))
                .body("[0]", not(hasKey("error")));
        post("", "[\"EVAL\", \"return {'a', {redis.status_reply('OK'), 7}}\", 0]", true).statusCode(200)
                .body("result", contains(equalTo(b64("a")), contains(equalTo(b64("OK")), equalTo(7))));
        post("/multi-exec", "[[\"SET\", \"upstash-http:m\", \"x\"], [\"GET\", \"upstash-http:m\"]]", true).statusCode(200)
                .body("result", contains(b64("OK"), b64("x")));
    }

    @Test
    void withoutBase64StringsAreText() {
        post("", "[\"SET\", \"upstash-http:t\", \"héllo 😀\"]", false).statusCode(200).body("result", equalTo("OK"));
        post("", "[\"GET\", \"upstash-http:t\"]", false).statusCode(200).body("result", equalTo("héllo 😀"));
    }

    @Test
    void numbersAndBooleansAreTheirJavaScriptText() {
        post("/pipeline", "[[\"SET\", \"upstash-http:a\", 1e21], [\"GET\", \"upstash-http:a\"], [\"SET\", \"upstash-http:a\", 1.0],"
                + " [\"GET\", \"upstash-http:a\"], [\"SET\", \"upstash-http:a\", 0.000001], [\"GET\", \"upstash-http:a\"],"
                + " [\"SET\", \"upstash-http:a\", 1.5e-7], [\"GET\", \"upstash-http:a\"], [\"SET\", \"upstash-http:a\", false],"
                + " [\"GET\", \"upstash-http:a\"], [\"SET\", \"upstash-http:a\", \"x\", \"EX\", 10], [\"TTL\", \"upstash-http:a\"]]", false)
                .statusCode(200)
                .body("result[1]", equalTo("1e+21"))
                .body("result[3]", equalTo("1"))
                .body("result[5]", equalTo("0.000001"))
                .body("result[7]", equalTo("1.5e-7"))
                .body("result[9]", equalTo("false"))
                .body("result[11]", equalTo(10));
    }

    @Test
    void redisErrorsKeepTheirTextAndAre400() {
        post("", "[\"SET\", \"upstash-http:w\", \"x\"]", true).statusCode(200);
        post("", "[\"LPUSH\", \"upstash-http:w\", \"y\"]", true).statusCode(400)
                .body("error", equalTo("WRONGTYPE Operation against a key holding the wrong kind of value"))
                .body("$", not(hasKey("result")));
        post("", "[\"EVALSHA\", \"0123456789abcdef0123456789abcdef01234567\", 0]", true).statusCode(400)
                .body("error", equalTo("NOSCRIPT No matching script. Please use EVAL."));
        post("/pipeline", "[[\"LPUSH\", \"upstash-http:w\", \"y\"], [\"GET\", \"upstash-http:w\"]]", true).statusCode(200)
                .body("[0].error", startsWith("WRONGTYPE")).body("[0]", not(hasKey("result")))
                .body("[1].result", equalTo(b64("x")));
        post("", "[\"GET\"]", false).statusCode(400).body("error", equalTo("ERR wrong number of arguments for 'get' command"));
        post("/pipeline", "[[\"GET\"], [\"PING\"]]", false).statusCode(200)
                .body("[0].error", equalTo("ERR wrong number of arguments for 'get' command"))
                .body("[1].result", equalTo("PONG"));
        assertEquals(0, inUse("cache"));
    }

    @Test
    void aTransactionRedisAbortsRunsNothing() {
        post("", "[\"DEL\", \"upstash-http:abort\"]", false).statusCode(200);
        post("/multi-exec", "[[\"SET\", \"upstash-http:abort\", \"x\"], [\"GET\"]]", false).statusCode(400)
                .body("error", equalTo("EXECABORT Transaction discarded because of previous errors: command 2 was refused: "
                        + "ERR wrong number of arguments for 'get' command"));
        post("/multi-exec", "[[\"SET\", \"upstash-http:abort\", \"x\"], [\"NOSUCHCOMMAND\", \"a\"]]", false)
                .statusCode(400)
                .body("error", startsWith("EXECABORT Transaction discarded because of previous errors: command 2 was "
                        + "refused: ERR unknown command `NOSUCHCOMMAND`"));
        post("", "[\"EXISTS\", \"upstash-http:abort\"]", false).statusCode(200).body("result", equalTo(0));
        assertEquals(0, inUse("cache"));
    }

    @Test
    void everyAnswerHasAFreshSyncToken() {
        String first = post("", "[\"PING\"]", false).statusCode(200).header("upstash-sync-token", not(emptyOrNullString()))
                .extract().header("upstash-sync-token");
        String second = upstash().header("upstash-sync-token", first).body("[\"PING\"]").post("/upstash/cache").then()
                .statusCode(200).extract().header("upstash-sync-token");
        assertNotEquals(first, second);
        post("", "[]", false).statusCode(400).header("upstash-sync-token", not(emptyOrNullString()));
    }

    @Test
    void badRequestsAreRefusedInUpstashsShape() {
        post("", "", false).statusCode(400).body("error", startsWith("request body is empty"));
        post("", "[\"GET\", ", false).statusCode(400).body("error", startsWith("malformed JSON at line 1"));
        post("", "[]", false).statusCode(400).body("error", startsWith("a command is a non-empty JSON array"));
        post("", "{\"cmd\": \"GET\"}", false).statusCode(400).body("error", startsWith("a command is a non-empty JSON array"));
        post("", "[\"SET\", \"k\", null]", false).statusCode(400)
                .body("error", equalTo("argument 2 must be a string, number or boolean, got null"));
        post("", "[\"SET\", \"k\", {\"a\": 1}]", false).statusCode(400)
                .body("error", equalTo("argument 2 must be a string, number or boolean, got object"));
        post("", "[\"SET\", \"k\", 1e400]", false).statusCode(400)
                .body("error", equalTo("argument 2 (1E+400) is beyond the range of a JavaScript number"));
        post("", "[\"SUBSCRIBE\", \"news\"]", false).statusCode(400)
                .body("error", equalTo("command SUBSCRIBE is not allowed: it would take over the connection"));
        post("", "[\"MULTI\"]", false).statusCode(400).body("error", startsWith("command MULTI spans several commands"));
        post("/pipeline", "[[\"GET\", \"k\"], \"GET\"]", false).statusCode(400)
                .body("error", startsWith("command 2: a command is a non-empty JSON array"));
        post("/pipeline", "[]", false).statusCode(400).body("error", startsWith("a pipeline is a non-empty JSON array"));
        upstash().header("Upstash-Encoding", "hex").body("[\"PING\"]").post("/upstash/cache").then().statusCode(400)
                .body("error", equalTo("header Upstash-Encoding must be base64 when set, got 'hex'"));
        given().body("[\"PING\"]").post("/upstash/cache").then().statusCode(401)
                .body("error", startsWith("Unauthorized: missing Authorization"));
        given().header("Authorization", "Basic abc").body("[\"PING\"]").post("/upstash/cache").then().statusCode(401)
                .body("error", startsWith("Unauthorized: the Authorization header must be 'Bearer <token>'"));
        upstash().body("[\"PING\"]").post("/upstash/nowhere").then().statusCode(404)
                .body("error", startsWith("no pool named 'nowhere'"));
        upstash().body("[\"PING\"]").post("/upstash/main").then().statusCode(400)
                .body("error", equalTo("pool 'main' is a postgres pool; this endpoint needs a redis pool"));
        assertEquals(0, inUse("cache"));
    }

    @Test
    void subscribingOverServerSentEventsIsRefusedClearly() {
        for (String path : new String[] { "/upstash/cache/subscribe/news", "/upstash/cache/psubscribe/n*" }) {
            upstash().header("Accept", "text/event-stream").body("[]").post(path).then().statusCode(400)
                    .header("upstash-sync-token", not(emptyOrNullString()))
                    .body("error", startsWith("SUBSCRIBE and PSUBSCRIBE (Server-Sent Events) are not supported"));
        }
    }

    @Test
    void refusalsBeforeTheResourceAreInUpstashsShapeToo() throws Exception {
        upstash().post("/upstash/cache/get/foo").then().statusCode(404)
                .header("upstash-sync-token", not(emptyOrNullString()))
                .body("error", equalTo("no endpoint for POST /upstash/cache/get/foo"));
        upstash().get("/upstash/cache").then().statusCode(405).body("error", equalTo("GET is not allowed on /upstash/cache"));
        byte[] large = ("[\"SET\", \"k\", \"" + "x".repeat(1024 * 1024) + "\"]").getBytes(StandardCharsets.UTF_8);
        // the gateway answers before it reads such a body and closes the connection: a client that reads
        // the answer while it is still sending (the JDK's; RestAssured's may fail its write first)
        java.net.http.HttpResponse<String> refused = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/upstash/cache"))
                        .header("Authorization", "Bearer any").header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(large)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(413, refused.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(refused.body().startsWith("{\"error\":\"request body of "
                + large.length + " bytes is over the limit"), refused.body());
    }
}
