package io.poolgate.api;

import static io.poolgate.api.Gateway.eventually;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator API: every connection, pause / resume, manual sizing. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class OperatorTest {

    static ValidatableResponse scale(String pool, String body) {
        return given().contentType("application/json").body(body).post("/api/v1/pools/{pool}/scale", pool).then();
    }

    @Test
    void listsEveryConnectionWithItsHistory() {
        Gateway.sql("SELECT 1").statusCode(200);
        given().get("/api/v1/pools/main/sessions").then().statusCode(200)
                .body("pool", equalTo("main"))
                .body("connections.size()", greaterThanOrEqualTo(2))
                .body("connections.node", everyItem(equalTo("primary")))
                .body("connections.state", hasItem("idle"))
                .body("connections[0].createdAt", notNullValue())
                .body("connections[0].lastUsedAt", notNullValue())
                .body("connections.uses.sum()", greaterThanOrEqualTo(1));
    }

    @Test
    void pausedPoolsQueueRequestsAndResumeServesThem() throws Exception {
        given().post("/api/v1/pools/main/pause").then().statusCode(200).body("paused", equalTo(true));
        try {
            CompletableFuture<Response> queued = CompletableFuture.supplyAsync(() -> given()
                    .contentType("application/json").body("{\"sql\": \"SELECT 42 AS answer\"}")
                    .post("/api/v1/pools/main/query"));
            assertTrue(eventually(Duration.ofSeconds(3), () -> given().get("/api/v1/pools/main").then().extract()
                    .<Integer>path("waiters") == 1), "the request waits while paused");
            given().get("/api/v1/pools/main").then().body("paused", equalTo(true));
            assertFalse(queued.isDone());

            given().post("/api/v1/pools/main/resume").then().statusCode(200)
                    .body("paused", equalTo(false)).body("waiters", equalTo(1));
            queued.get(5, TimeUnit.SECONDS).then().statusCode(200).body("rows[0].answer", equalTo(42));
        } finally {
            given().post("/api/v1/pools/main/resume");
        }
    }

    @Test
    void aRequestPausedPastTheAcquireTimeoutGets503() {
        given().post("/api/v1/pools/tiny/pause").then().statusCode(200);
        try {
            Gateway.query("tiny", "{\"sql\": \"SELECT 1\"}").statusCode(503).body("reason", equalTo("timeout"));
        } finally {
            given().post("/api/v1/pools/tiny/resume").then().statusCode(200);
        }
    }

    @Test
    void scaleClampsToMinAndMaxAndSaysWhatItDid() {
        scale("main", "{\"target\": 50}").statusCode(200)
                .body("target", equalTo(5)).body("requested", equalTo(50)).body("clamped", equalTo(true))
                .body("max", equalTo(5));
        assertTrue(eventuallyTotal(5), "grows to the new target");
        scale("main", "{\"delta\": -2}").statusCode(200)
                .body("previousTarget", equalTo(5)).body("target", equalTo(3)).body("clamped", equalTo(false));
        scale("main", "{\"target\": 0}").statusCode(200).body("target", equalTo(2)).body("clamped", equalTo(true));
        given().get("/api/v1/pools/main").then().body("sizes.target", equalTo(2));
    }

    @Test
    void badScaleRequestsAreBadRequests() {
        scale("main", "{}").statusCode(400).body("detail", startsWith("give exactly one of 'delta' and 'target'"));
        scale("main", "{\"delta\": 1, \"target\": 3}").statusCode(400);
        scale("main", "{\"target\": -1}").statusCode(400).body("detail", equalTo("field 'target' must be >= 0, got -1"));
        scale("main", "{\"delta\": 1.5}").statusCode(400).body("detail", startsWith("field 'delta' must be a whole number"));
    }

    private static boolean eventuallyTotal(int total) {
        try {
            return eventually(Duration.ofSeconds(5), () -> given().get("/api/v1/pools/main").then().extract()
                    .<Integer>path("sizes.total") == total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
