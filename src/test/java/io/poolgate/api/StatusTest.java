package io.poolgate.api;

import static io.poolgate.api.Gateway.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The status API tells operators sizes, bounds, reuse and nodes, never secrets. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class StatusTest {

    @Test
    void listsEveryPool() {
        given().get("/api/v1/pools").then().statusCode(200)
                .body("pools.name", hasItems("main", "cache", "tiny"))
                .body("pools.kind", hasItems("postgres", "redis"));
    }

    @Test
    void showsSizesBoundsAndNodes() throws InterruptedException {
        sql("SELECT 1").statusCode(200);
        // a lease an earlier test class released may still be resetting (it counts as in use until then)
        org.junit.jupiter.api.Assertions.assertTrue(Gateway.eventually(java.time.Duration.ofSeconds(5),
                () -> Gateway.inUse("main") == 0), "pool 'main' still has a connection in use");
        given().get("/api/v1/pools/main").then().statusCode(200)
                .body("name", equalTo("main"))
                .body("kind", equalTo("postgres"))
                .body("sizes.min", equalTo(2))
                .body("sizes.max", equalTo(5))
                .body("sizes.total", greaterThanOrEqualTo(2))
                .body("sizes.total", lessThanOrEqualTo(5))
                .body("sizes.inUse", equalTo(0))
                .body("waiters", equalTo(0))
                .body("reuse.acquired", greaterThan(0))
                .body("nodes[0].name", equalTo("primary"))
                .body("nodes[0].role", equalTo("primary"));
    }

    @Test
    void reuseRatioRisesWithRepeatedRequests() {
        for (int i = 0; i < 20; i++) {
            sql("SELECT 1").statusCode(200);
        }
        given().get("/api/v1/pools/main").then().statusCode(200).body("reuse.ratio", greaterThan(0.5f));
    }

    @Test
    void anUnknownPoolIsNotFound() {
        given().get("/api/v1/pools/nope").then().statusCode(404).body("pool", equalTo("nope"));
    }

    @Test
    void passwordsAreNeverShown() {
        given().get("/api/v1/pools").then().statusCode(200).body(not(containsString("secret")));
    }
}
