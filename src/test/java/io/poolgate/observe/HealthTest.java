package io.poolgate.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.poolgate.api.Gateway;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes probes against real servers: readiness follows the backends, liveness never does.
 * The {@code flaky} pool's PostgreSQL is stopped and started again by the test.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class HealthTest {

    @Test
    void everyProbeIsUpWhenTheBackendsAre() throws Exception {
        assertTrue(Gateway.eventually(Duration.ofSeconds(10), () -> status("/q/health/ready") == 200));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("pool main"))
                .body("checks.find { it.name == 'pool main' }.data.max", equalTo(5))
                .body("checks.find { it.name == 'pool main' }.data.healthyNodes", equalTo(1))
                .body("checks.find { it.name == 'pool main' }.data.'node primary'", equalTo("up"));
    }

    @Test
    void readinessGoesDownWithTheDatabaseAndLivenessStaysUp() throws Exception {
        assertTrue(Gateway.eventually(Duration.ofSeconds(10), () -> status("/q/health/ready") == 200),
                "ready before the test");
        try {
            EmbeddedServers.stopFlaky();
            assertTrue(Gateway.eventually(Duration.ofSeconds(10), () -> status("/q/health/ready") == 503),
                    "ready goes DOWN when a required pool has no healthy node");
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'pool flaky' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'pool flaky' }.data.'node primary'", startsWith("down: "))
                    .body("checks.find { it.name == 'pool main' }.status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            EmbeddedServers.startFlaky();
        }
        assertTrue(Gateway.eventually(Duration.ofSeconds(15), () -> status("/q/health/ready") == 200),
                "ready again once the database is back, without restarting the gateway");
        given().contentType("application/json").body("{\"sql\": \"SELECT 1 AS one\"}")
                .post("/api/v1/pools/flaky/query").then().statusCode(200).body("rows[0].one", equalTo(1));
    }

    private static int status(String path) {
        return given().get(path).then().extract().statusCode();
    }
}
