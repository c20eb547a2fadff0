package io.poolgate.redis;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.poolgate.Load;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Stateless commands of concurrent requests share a few pipelined connections (pool {@code cache});
 * blocking and state-changing ones keep their own; a frozen server times the shared connection out;
 * {@code multiplex: false} (pool {@code cache-exclusive}) lends a connection per command.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class MultiplexingTest {

    /** HTTP/1.1: concurrent requests open connections of their own (spread over the event loops). */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static JsonPath status(String pool) {
        return given().get("/api/v1/pools/{pool}", pool).then().statusCode(200).extract().jsonPath();
    }

    /** Sends {@code n} commands at once from as many HTTP connections; answers the bodies, each checked 200. */
    private static List<String> concurrently(String pool, int n, String command) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(CLIENT.sendAsync(Load.post("/api/v1/pools/" + pool + "/command", command),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answer = response.join();
            assertEquals(200, answer.statusCode(), answer.body());
            bodies.add(answer.body());
        }
        return bodies;
    }

    @Test
    void concurrentCommandsShareAFewConnectionsAndTheAccountingSaysSo() {
        given().contentType("application/json").body("[\"SET\", \"mux:k\", \"shared\"]")
                .post("/api/v1/pools/cache/command").then().statusCode(200);
        JsonPath before = status("cache");
        List<String> bodies = concurrently("cache", 200, "[\"GET\", \"mux:k\"]");
        bodies.forEach(body -> assertEquals("{\"result\":\"shared\"}", body));
        JsonPath after = status("cache");
        long shared = after.getLong("multiplexing.commands") - before.getLong("multiplexing.commands");
        long acquired = after.getLong("reuse.acquired") - before.getLong("reuse.acquired");
        assertTrue(shared >= 200, "every GET ran on a shared connection: " + shared);
        // a shared connection per event loop (a few), not one acquisition per command
        assertTrue(acquired <= 20, "acquisitions for 200 commands: " + acquired);
        assertTrue(after.getInt("sizes.inUse") >= after.getInt("multiplexing.connections"),
                "shared connections count as in use: " + after.get("sizes") + " " + after.get("multiplexing"));
        // each writes the commands of an event-loop turn at once (the Redis client's socket was reached)
        assertTrue(after.getInt("multiplexing.connections") > 0, "still shared right after: " + after.get("multiplexing"));
        assertEquals(after.getInt("multiplexing.connections"), after.getInt("multiplexing.coalesced"),
                "every shared connection coalesces its writes: " + after.get("multiplexing"));
    }

    @Test
    void sharedConnectionsGoBackWhenIdle() throws Exception {
        concurrently("cache", 20, "[\"PING\"]");
        assertTrue(io.poolgate.api.Gateway.eventually(Duration.ofSeconds(5), () -> {
            JsonPath s = status("cache");
            return s.getInt("multiplexing.connections") == 0 && s.getInt("sizes.inUse") == 0;
        }), "idle shared connections are given back: " + status("cache").get("multiplexing"));
    }

    @Test
    void aBlockingCommandKeepsAConnectionOfItsOwnAndDoesNotHoldUpOthers() {
        given().contentType("application/json").body("[\"DEL\", \"mux:empty\"]")
                .post("/api/v1/pools/cache/command").then().statusCode(200);
        CompletableFuture<HttpResponse<String>> blocked = CLIENT.sendAsync(
                Load.post("/api/v1/pools/cache/command", "[\"BLPOP\", \"mux:empty\", \"3\"]"),
                HttpResponse.BodyHandlers.ofString());
        for (int i = 0; i < 20; i++) {
            given().contentType("application/json").body("[\"INCR\", \"mux:counter\"]")
                    .post("/api/v1/pools/cache/command").then().statusCode(200);
        }
        assertFalse(blocked.isDone(), "the BLPOP is still waiting while 20 commands came and went");
        HttpResponse<String> answer = blocked.join();
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"result\":null}", answer.body());
    }

    @Test
    void stateChangingCommandsDoNotReachSharedConnections() {
        given().contentType("application/json").body("[\"SET\", \"mux:db\", \"zero\"]")
                .post("/api/v1/pools/cache/command").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                sent.add(CLIENT.sendAsync(Load.post("/api/v1/pools/cache/command", "[\"SELECT\", 1]"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            concurrently("cache", 20, "[\"GET\", \"mux:db\"]")
                    .forEach(body -> assertEquals("{\"result\":\"zero\"}", body));
            sent.forEach(CompletableFuture::join);
        }
    }

    @Test
    void withMultiplexOffEveryCommandIsAnAcquisition() {
        assertNull(status("cache-exclusive").get("multiplexing"));
        long before = status("cache-exclusive").getLong("reuse.acquired");
        concurrently("cache-exclusive", 30, "[\"PING\"]");
        assertEquals(30, status("cache-exclusive").getLong("reuse.acquired") - before);
        assertNull(status("main").get("multiplexing"), "PostgreSQL pools do not multiplex");
    }

    @Test
    void aFrozenServerTimesTheSharedConnectionsOutWith504AndTheNextCommandsGetFreshOnes() throws Exception {
        given().contentType("application/json").body("[\"SET\", \"mux:frozen\", \"v\"]")
                .post("/api/v1/pools/cache-solo/command").then().statusCode(200);
        concurrently("cache-solo", 16, "[\"PING\"]"); // shared connections on the event loops
        EmbeddedServers.freezeRedisB();
        long frozen = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sent.add(CLIENT.sendAsync(Load.post("/api/v1/pools/cache-solo/command",
                        "[\"GET\", \"mux:frozen\"]"), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        } finally {
            EmbeddedServers.thawRedisB();
        }
        long tookMillis = (System.nanoTime() - frozen) / 1_000_000;
        int timedOut = 0;
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answer = response.join();
            JsonPath problem = JsonPath.from(answer.body());
            if (answer.statusCode() == 504) {
                timedOut++;
                assertEquals("urn:poolgate:problem:backend-timeout", problem.getString("type"));
                assertTrue(problem.getString("detail").contains("did not finish within 2000ms; the connection was closed"),
                        problem.getString("detail"));
                assertTrue(problem.getBoolean("mayHaveWritten"));
            } else {
                // one that needed a new connection meets the connect timeout or the open circuit
                assertEquals(503, answer.statusCode(), answer.body());
                assertEquals("urn:poolgate:problem:pool-unavailable", problem.getString("type"));
            }
        }
        assertTrue(timedOut > 0, "commands on shared connections of the frozen server got 504");
        System.out.printf("8 multiplexed commands on a frozen Redis: %d x 504, the rest 503, all within %d ms "
                + "(command-timeout 2000 ms)%n", timedOut, tookMillis);
        assertTrue(io.poolgate.api.Gateway.eventually(Duration.ofSeconds(10), () -> given()
                .contentType("application/json").body("[\"GET\", \"mux:frozen\"]")
                .post("/api/v1/pools/cache-solo/command").statusCode() == 200), "commands work again after the thaw");
        given().contentType("application/json").body("[\"GET\", \"mux:frozen\"]")
                .post("/api/v1/pools/cache-solo/command").then().statusCode(200).body("result", equalTo("v"));
        assertTrue(io.poolgate.api.Gateway.eventually(Duration.ofSeconds(5),
                () -> io.poolgate.api.Gateway.inUse("cache-solo") == 0), "nothing left lent");
    }
}
