package io.poolgate.api;

import static io.poolgate.api.Gateway.inUse;
import static io.poolgate.api.Gateway.query;
import static io.poolgate.api.Gateway.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every error is problem+json with the status SPEC §3.5 gives it, and the pool stays whole. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class ErrorsTest {

    @Test
    void malformedJsonIsABadRequestSayingWhere() {
        query("main", "{\"sql\": ").statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:poolgate:problem:bad-request"))
                .body("detail", startsWith("malformed JSON at line 1, column 9"));
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        query("main", "").statusCode(400).body("detail", startsWith("request body is empty"));
    }

    @Test
    void theWrongShapeIsABadRequestNamingTheField() {
        query("main", "[\"SELECT 1\"]").statusCode(400).body("detail", startsWith("expected a JSON object"));
        query("main", "{\"sql\": 1}").statusCode(400).body("detail", equalTo("field 'sql' must be a string, got a number"));
        query("main", "{\"sql\": \"SELECT 1\", \"params\": {}}").statusCode(400)
                .body("detail", startsWith("field 'params' must be an array"));
        query("main", "{\"params\": []}").statusCode(400).body("detail", startsWith("field 'sql' is required"));
        query("main", "{\"sql\": \"  \"}").statusCode(400).body("detail", equalTo("field 'sql' is empty"));
        query("main", "{\"sql\": \"SELECT 1\", \"sql\": \"SELECT 2\"}").statusCode(400)
                .body("detail", startsWith("malformed JSON"));
    }

    @Test
    void anUnknownPoolIsNotFound() {
        query("nope", "{\"sql\": \"SELECT 1\"}").statusCode(404)
                .body("type", equalTo("urn:poolgate:problem:unknown-pool"))
                .body("pool", equalTo("nope"))
                .body("detail", startsWith("no pool named 'nope' (configured pools: "));
    }

    @Test
    void sqlToARedisPoolIsABadRequest() {
        query("cache", "{\"sql\": \"SELECT 1\"}").statusCode(400)
                .body("detail", equalTo("pool 'cache' is a redis pool; this endpoint needs a postgres pool"));
    }

    @Test
    void anSqlErrorIsUnprocessableWithSqlstateAndPosition() {
        sql("SELECT nosuchcolumn FROM pg_class").statusCode(422)
                .body("type", equalTo("urn:poolgate:problem:sql-error"))
                .body("sqlstate", equalTo("42703"))
                .body("detail", equalTo("column \"nosuchcolumn\" does not exist"))
                .body("position", equalTo(8));
    }

    @Test
    void aStatementTimeoutIsAGatewayTimeout() {
        query("tiny", "{\"sql\": \"SELECT pg_sleep(3)\"}").statusCode(504)
                .body("type", equalTo("urn:poolgate:problem:statement-timeout"))
                .body("sqlstate", equalTo("57014"));
        assertEquals(0, inUse("tiny"));
    }

    @Test
    void anExhaustedPoolAnswers503WithRetryAfter() throws Exception {
        // tiny: max 1 connection, max-waiters 1, acquire-timeout 300ms, statement-timeout 1s. The holder
        // is a batch of two sleeps (~1.4 s on the connection, each statement within the timeout), so the
        // waiter's 300 ms run out while it still holds; a session lease cannot take tiny's one
        // connection (sessions.max). The requests get threads of their own: the common pool has one
        // thread on a 2-core machine, and the waiter would only start once the holder had returned.
        ExecutorService clients = Executors.newFixedThreadPool(2);
        CompletableFuture<Response> holder = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .body("{\"statements\": [{\"sql\": \"SELECT pg_sleep(0.7)\"}, {\"sql\": \"SELECT pg_sleep(0.7)\"}]}")
                .post("/api/v1/pools/tiny/batch"), clients);
        try {
            awaitInUse("tiny");
            CompletableFuture<Response> waiter = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body("{\"sql\": \"SELECT 1\"}").post("/api/v1/pools/tiny/query"), clients);
            Gateway.eventually(java.time.Duration.ofSeconds(5), () -> waiting("tiny") == 1);

            // the queue (max-waiters=1) is full: turned away at once
            query("tiny", "{\"sql\": \"SELECT 1\"}").statusCode(503)
                    .header("Retry-After", "1")
                    .body("reason", equalTo("queue_full"))
                    .body("detail", equalTo("pool 'tiny' node 'primary' wait queue full (max-waiters=1, in-use=1/1)"));
            // the waiter gives up after the acquire timeout, naming the pool's state
            waiter.get(5, TimeUnit.SECONDS).then().statusCode(503)
                    .header("Retry-After", "1")
                    .body("reason", equalTo("timeout"))
                    .body("pool", equalTo("tiny"))
                    .body("state.inUse", equalTo(1))
                    .body("detail", startsWith("pool 'tiny' node 'primary' - connection not available, request timed out after "));
            holder.get(5, TimeUnit.SECONDS).then().statusCode(200);
        } finally {
            clients.shutdownNow();
        }
        assertEquals(0, inUse("tiny"));
    }

    private static int waiting(String pool) {
        return given().get("/api/v1/pools/{pool}", pool).then().statusCode(200).extract().jsonPath().getInt("waiters");
    }

    private static void awaitInUse(String pool) throws InterruptedException {
        Gateway.eventually(java.time.Duration.ofSeconds(5), () -> inUse(pool) == 1);
    }
}
