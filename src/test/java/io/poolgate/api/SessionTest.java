package io.poolgate.api;

import static io.poolgate.api.Gateway.eventually;
import static io.poolgate.api.Gateway.inUse;
import static io.poolgate.api.Gateway.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session leases: a connection pinned across requests, serialised, reclaimed, rolled back on release. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class SessionTest {

    final List<String> opened = new ArrayList<>();

    String open(String pool, String options) {
        var request = given().contentType("application/json");
        if (options != null) {
            request = request.body(options);
        }
        Response created = request.post("/api/v1/pools/{pool}/sessions", pool);
        if (created.statusCode() == 201) {
            opened.add(created.path("id"));
        }
        created.then().statusCode(201);
        return created.path("id");
    }

    static ValidatableResponse on(String id, String sql) {
        return given().contentType("application/json").body("{\"sql\": \"" + sql + "\"}")
                .post("/api/v1/sessions/{id}/query", id).then();
    }

    @AfterEach
    void releaseAll() {
        for (String id : opened) {
            given().delete("/api/v1/sessions/{id}", id);
        }
    }

    @Test
    void opensALeaseWithAnUnguessableIdAndWhereItRuns() {
        Response created = given().contentType("application/json").post("/api/v1/pools/main/sessions");
        String id = created.path("id");
        opened.add(id);
        created.then().statusCode(201)
                .header("Location", endsWith("/api/v1/sessions/" + id))
                .body("id", matchesPattern("s_[A-Za-z0-9_-]{24}")) // 18 random bytes: 144 bits
                .body("pool", equalTo("main"))
                .body("node", equalTo("primary"))
                .body("idleTimeoutSeconds", equalTo(60));
        given().get("/api/v1/sessions/{id}", id).then().statusCode(200).body("id", equalTo(id)).body("busy",
                equalTo(false));
        given().get("/api/v1/pools/main").then().body("leases", equalTo(1));
        given().delete("/api/v1/sessions/{id}", id).then().statusCode(204);
    }

    @Test
    void aTransactionSpansRequestsAndIsRolledBackOnRelease() {
        sql("CREATE TABLE IF NOT EXISTS session_test (n int)").statusCode(200);
        sql("TRUNCATE session_test").statusCode(200);
        String id = open("main", null);
        on(id, "BEGIN").statusCode(200);
        on(id, "INSERT INTO session_test VALUES (1)").statusCode(200);
        on(id, "SELECT count(*)::int AS n FROM session_test").statusCode(200).body("rows[0].n", equalTo(1));
        sql("SELECT count(*)::int AS n FROM session_test").statusCode(200).body("rows[0].n", equalTo(0));

        given().delete("/api/v1/sessions/{id}", id).then().statusCode(204);

        sql("SELECT count(*)::int AS n FROM session_test").statusCode(200).body("rows[0].n", equalTo(0));
        on(id, "SELECT 1").statusCode(410)
                .body("type", equalTo("urn:poolgate:problem:session-ended"))
                .body("detail", equalTo("session " + id + " has ended: released by the client"));
    }

    @Test
    void aCommittedTransactionPersistsAndSessionSettingsSurviveBetweenRequests() {
        sql("CREATE TABLE IF NOT EXISTS session_commit (n int)").statusCode(200);
        sql("TRUNCATE session_commit").statusCode(200);
        String id = open("main", null);
        on(id, "SET work_mem TO '3MB'").statusCode(200);
        on(id, "BEGIN").statusCode(200);
        on(id, "INSERT INTO session_commit VALUES (7)").statusCode(200);
        on(id, "COMMIT").statusCode(200);
        on(id, "SHOW work_mem").statusCode(200).body("rows[0].work_mem", equalTo("3MB"));
        sql("SELECT count(*)::int AS n FROM session_commit").statusCode(200).body("rows[0].n", equalTo(1));
    }

    @Test
    void aSecondConcurrentRequestOnALeaseGets409() throws Exception {
        String id = open("main", null);
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> given().contentType("application/json")
                .body("{\"sql\": \"SELECT pg_sleep(1)\"}").post("/api/v1/sessions/{id}/query", id));
        assertTrue(eventually(Duration.ofSeconds(5),
                () -> given().get("/api/v1/sessions/{id}", id).then().extract().<Boolean>path("busy")));

        on(id, "SELECT 1").statusCode(409)
                .body("type", equalTo("urn:poolgate:problem:session-busy"))
                .body("detail", startsWith("session " + id + " is busy with another request"));
        slow.get(10, TimeUnit.SECONDS).then().statusCode(200);
        on(id, "SELECT 1 AS ok").statusCode(200).body("rows[0].ok", equalTo(1));
    }

    @Test
    void sequentialRequestsOnALeaseNeverFindItBusy() throws Exception {
        // the answer comes once the lease is free again, so a client's next request never races it
        String id = open("main", null);
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/api/v1/sessions/" + id + "/query");
        for (int i = 0; i < 1000; i++) {
            int status = http.send(java.net.http.HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT 1\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            statuses.merge(status, 1, Integer::sum);
        }
        assertEquals(java.util.Map.of(200, 1000), statuses);
    }

    @Test
    void anIdleLeaseIsReclaimedRolledBackAndLaterCallsSayWhy() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS session_idle (n int)").statusCode(200);
        sql("TRUNCATE session_idle").statusCode(200);
        String id = open("main", "{\"idleTimeout\": \"1s\"}");
        on(id, "BEGIN").statusCode(200);
        on(id, "INSERT INTO session_idle VALUES (1)").statusCode(200);

        assertTrue(eventually(Duration.ofSeconds(5),
                () -> given().get("/api/v1/sessions/{id}", id).then().extract().statusCode() == 410));
        given().get("/api/v1/sessions/{id}", id).then().statusCode(410)
                .body("detail", equalTo("session " + id + " has ended: reclaimed after 1s without a request (idle timeout)"));
        sql("SELECT count(*)::int AS n FROM session_idle").statusCode(200).body("rows[0].n", equalTo(0));
        assertTrue(eventually(Duration.ofSeconds(2), () -> inUse("main") == 0), "the connection went back");
    }

    @Test
    void aLeaseInUseIsStillReclaimedAtItsMaxLifetime() throws Exception {
        String id = open("main", "{\"maxLifetime\": \"1s\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            status = on(id, "SELECT 1").extract().statusCode(); // never idle long enough for the idle timeout
            Thread.sleep(100);
        }
        assertEquals(410, status);
        given().get("/api/v1/sessions/{id}", id).then().statusCode(410)
                .body("detail", equalTo("session " + id + " has ended: reclaimed: its max lifetime (1s) was reached"));
    }

    @Test
    void leasesAreCappedSoTheyCannotStarveOneShotRequests() {
        open("main", null);
        open("main", null); // main: max 5, sessions.max defaults to half of it: 2
        given().contentType("application/json").post("/api/v1/pools/main/sessions").then().statusCode(503)
                .header("Retry-After", "5")
                .body("type", equalTo("urn:poolgate:problem:session-limit"))
                .body("detail", startsWith("pool 'main' already pins 2 connection(s) to session leases"));
        sql("SELECT 1 AS still").statusCode(200).body("rows[0].still", equalTo(1));
    }

    @Test
    void aRedisLeaseAllowsWatchMultiExec() {
        String id = open("cache", null);
        String watch = "[\"WATCH\", \"session:k\"]";
        given().contentType("application/json").body(watch).post("/api/v1/sessions/{id}/command", id).then()
                .statusCode(200).body("result", equalTo("OK"));
        for (String command : List.of("[\"MULTI\"]", "[\"SET\", \"session:k\", \"v\"]")) {
            given().contentType("application/json").body(command).post("/api/v1/sessions/{id}/command", id).then()
                    .statusCode(200);
        }
        given().contentType("application/json").body("[\"EXEC\"]").post("/api/v1/sessions/{id}/command", id).then()
                .statusCode(200).body("result[0]", equalTo("OK"));
    }

    @Test
    void unknownIdsAreNotFoundAndWrongKindsAreBadRequests() {
        given().get("/api/v1/sessions/s_nope").then().statusCode(404)
                .body("type", equalTo("urn:poolgate:problem:unknown-session"));
        String id = open("cache", null);
        on(id, "SELECT 1").statusCode(400).body("detail", startsWith("session " + id + " is on redis pool 'cache'"));
        given().contentType("application/json").body("{\"idleTimeout\": -1}").post("/api/v1/pools/main/sessions")
                .then().statusCode(400).body("detail", startsWith("field 'idleTimeout' must be a positive duration"));
        assertEquals(0, inUse("main"));
    }
}
