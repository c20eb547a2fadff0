package io.poolgate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.poolgate.Load;
import io.poolgate.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bad backends under load get a documented answer within a bound, never a 500 or a hang: a frozen
 * PostgreSQL (SIGSTOP: the host hangs, TCP still accepts), a killed PostgreSQL and a stopped Redis
 * with concurrent clients. The {@code ha} pool: acquire timeout 2 s, statement timeout 2 s, deadline
 * grace 0.5 s, connect timeout 1 s, probe timeout 0.5 s.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class ReliabilityTest {

    /** The answers a backend failure may get: documented, with Retry-After, never 500. */
    static final Set<String> DOCUMENTED = Set.of("503 urn:poolgate:problem:backend-unavailable",
            "503 urn:poolgate:problem:pool-unavailable", "504 urn:poolgate:problem:backend-timeout",
            "504 urn:poolgate:problem:statement-timeout");

    static void onlyDocumented(List<Load.Answer> answers) {
        for (Load.Answer a : answers) {
            assertTrue(a.status() == 200 || DOCUMENTED.contains(a.status() + " " + a.problemType()),
                    "only 200s and documented failures, got " + a.status() + " " + a.body());
        }
    }

    @Test
    void aFrozenPrimaryGetsEveryRequestAnsweredWithinItsBoundAndRecoversWhenThawed() throws Exception {
        TestPostgres primary = EmbeddedServers.haPrimary();
        primary.start();
        assertTrue(Gateway.eventually(Duration.ofSeconds(20), () -> "closed".equals(given().get("/api/v1/pools/ha")
                .then().extract().path("nodes.find { it.name == 'primary' }.circuit.state"))));
        try (Load load = new Load(4, i -> Load.post("/api/v1/pools/ha/query",
                "{\"sql\": \"SELECT pg_sleep(0.05), $1::int AS i\", \"params\": [" + (i % 1000) + "]}"))) {
            Thread.sleep(500);
            long frozen = System.nanoTime();
            primary.freeze();
            try {
                Thread.sleep(5000);
            } finally {
                primary.thaw();
            }
            long thawed = System.nanoTime();
            assertTrue(Gateway.eventually(Duration.ofSeconds(20), () -> load.since(System.nanoTime() - 300_000_000L)
                    .stream().anyMatch(a -> a.status() == 200)), "answers again after the thaw");
            Thread.sleep(300);
            load.close();

            List<Load.Answer> during = load.since(frozen).stream().filter(a -> a.sentNanos() < thawed).toList();
            onlyDocumented(load.since(frozen));
            // acquire timeout 2 s + statement timeout 2 s + grace 0.5 s, and a margin for the test machine
            long bound = Duration.ofMillis(2000 + 2000 + 500 + 1500).toNanos();
            long slowest = during.stream().mapToLong(Load.Answer::tookNanos).max().orElse(0);
            assertTrue(slowest < bound, "every request answered within its bound, slowest " + slowest / 1_000_000
                    + " ms");
            assertTrue(during.stream().anyMatch(a -> a.status() != 200), "the freeze was seen: "
                    + Load.byStatus(during));
            System.out.printf("primary frozen 5 s: %s during, slowest %d ms; after the thaw %s%n", Load.byStatus(during),
                    slowest / 1_000_000, Load.byStatus(load.since(thawed)));
        }
        given().contentType(ContentType.JSON).body("{\"sql\": \"SELECT 1 AS one\"}").post("/api/v1/pools/ha/query")
                .then().statusCode(200).body("rows[0].one", equalTo(1));
    }

    @Test
    void aStatementOnAServerThatFreezesGets504AtItsBoundNotWhenTheServerWakes() throws Exception {
        TestPostgres primary = EmbeddedServers.haPrimary();
        primary.start();
        assertTrue(Gateway.eventually(Duration.ofSeconds(20), () -> "closed".equals(given().get("/api/v1/pools/ha")
                .then().extract().path("nodes.find { it.name == 'primary' }.circuit.state"))));
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> inFlight =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                        .body("{\"sql\": \"SELECT pg_sleep(1)\"}").post("/api/v1/pools/ha/query"));
        Thread.sleep(300); // the statement is running
        long frozen = System.nanoTime();
        primary.freeze();
        io.restassured.response.Response answer;
        try {
            answer = inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            primary.thaw();
        }
        long tookMillis = (System.nanoTime() - frozen) / 1_000_000;
        answer.then().statusCode(504).body("type", equalTo("urn:poolgate:problem:backend-timeout"))
                .body("mayHaveWritten", equalTo(true))
                .body("detail", org.hamcrest.Matchers.containsString("did not finish within 2500ms"));
        // statement-timeout 2 s + grace 0.5 s from its start, checked every housekeeping run (200 ms)
        assertTrue(tookMillis < 4000, "answered at its bound, not when the server woke: " + tookMillis + " ms");
        System.out.printf("statement on a frozen server: 504 %d ms after the freeze%n", tookMillis);
    }

    @Test
    void aKilledSingleNodePostgresUnderWritesAnswersNo500AndRecovers() throws Exception {
        given().contentType(ContentType.JSON).body("{\"sql\": \"CREATE TABLE IF NOT EXISTS writes (id bigint)\"}")
                .post("/api/v1/pools/flaky/query").then().statusCode(200);
        try (Load load = new Load(4, i -> Load.post("/api/v1/pools/flaky/query",
                "{\"sql\": \"INSERT INTO writes VALUES ($1)\", \"params\": [" + i + "]}"))) {
            Thread.sleep(500);
            long killed = System.nanoTime();
            EmbeddedServers.flaky().kill();
            Thread.sleep(1500);
            EmbeddedServers.flaky().start();
            assertTrue(Gateway.eventually(Duration.ofSeconds(20), () -> load.since(System.nanoTime() - 300_000_000L)
                    .stream().anyMatch(a -> a.status() == 200)), "writes succeed again after the restart");
            load.close();
            onlyDocumented(load.since(killed));
            System.out.printf("postgres killed under writes: %s%n", Load.byStatus(load.since(killed)));
        }
    }

    @Test
    void aStoppedRedisUnderLoadAnswersNo500AndRecovers() throws Exception {
        try (Load load = new Load(16, i -> Load.post("/api/v1/pools/cache-solo/command",
                "[\"SET\", \"reliability-" + (i % 50) + "\", \"v\"]"))) {
            Thread.sleep(500);
            long stopped = System.nanoTime();
            EmbeddedServers.stopRedisB();
            Thread.sleep(1500);
            EmbeddedServers.startRedisB();
            assertTrue(Gateway.eventually(Duration.ofSeconds(20), () -> load.since(System.nanoTime() - 300_000_000L)
                    .stream().anyMatch(a -> a.status() == 200)), "commands succeed again after the restart");
            load.close();
            onlyDocumented(load.since(stopped));
            System.out.printf("redis stopped under 16 clients of SET: %s%n", Load.byStatus(load.since(stopped)));
        } finally {
            EmbeddedServers.startRedisB();
        }
    }

    @Test
    void aBackendFailureSaysWhetherTheWriteMayHaveRun() throws Exception {
        String lease = given().post("/api/v1/pools/flaky/sessions").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT pg_backend_pid() AS pid"))
                .post("/api/v1/sessions/" + lease + "/query").then().statusCode(200);
        EmbeddedServers.flaky().kill();
        try {
            given().contentType(ContentType.JSON).body(Map.of("sql", "INSERT INTO writes VALUES (-1)"))
                    .post("/api/v1/sessions/" + lease + "/query").then().statusCode(503)
                    .header("Retry-After", "1")
                    .body("type", equalTo("urn:poolgate:problem:backend-unavailable"))
                    .body("mayHaveWritten", equalTo(true))
                    .body("detail", org.hamcrest.Matchers.containsString("the session has ended"));
            given().get("/api/v1/sessions/" + lease).then().statusCode(410);
        } finally {
            EmbeddedServers.flaky().start();
        }
    }
}
