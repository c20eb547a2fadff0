package io.poolgate.scaling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.poolgate.Load;
import io.poolgate.api.Gateway;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scaler against real PostgreSQL with short settings: {@code scaled} (1..6, utilization 0.7 /
 * 0.3, +2 / -1, sustained 300 ms, cooldown 500 ms) on the main server, and {@code capped} (1..30)
 * on a server with max_connections 20, whose headroom holds the scaler back.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class AutoscalerTest {

    static JsonPath status(String pool) {
        return given().get("/api/v1/pools/{pool}", pool).then().statusCode(200).extract().jsonPath();
    }

    static int target(String pool) {
        return status(pool).getInt("sizes.target");
    }

    @Test
    void concurrentLoadGrowsTheTargetTowardMaxAndItsEndShrinksItBackWithNoRequestFailing() throws Exception {
        assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> target("scaled") == 1), "starts at min");
        try (Load load = new Load(8, i -> Load.post("/api/v1/pools/scaled/query",
                "{\"sql\": \"SELECT pg_sleep(0.2)\"}"))) {
            assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> target("scaled") == 6), "grown to max, now "
                    + target("scaled"));
            JsonPath grown = status("scaled");
            assertEquals(true, grown.getBoolean("autoscaling.enabled"));
            assertEquals("up", grown.getString("autoscaling.lastDecision.direction"));
            assertEquals("utilization", grown.getString("autoscaling.lastDecision.policy"));
            assertTrue(grown.getString("autoscaling.lastDecision.reason").matches("utilization \\d\\.\\d\\d > 0\\.70 for "
                    + "300ms.*"), grown.getString("autoscaling.lastDecision.reason"));
            load.close();
            assertEquals(List.of("200"), List.copyOf(Load.byStatus(load.answers()).keySet()), "no request failed while "
                    + "growing: " + Load.byStatus(load.answers()));
        }
        assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> target("scaled") == 1), "back to min, now "
                + target("scaled"));
        assertEquals("down", status("scaled").getString("autoscaling.lastDecision.direction"));
        assertTrue(Gateway.eventually(Duration.ofSeconds(10), () -> status("scaled").getInt("sizes.total") == 1),
                "idle connections above the target closed");
        String scrape = given().get("/q/metrics").then().extract().asString();
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("poolgate_scaling_events_total{") && l.contains(
                "pool=\"scaled\"") && l.contains("direction=\"up\"") && !l.endsWith(" 0.0")), "scaling counted");
    }

    @Test
    void theServersHeadroomHoldsGrowthBackAndTheStatusSaysSo() throws Exception {
        try (Load load = new Load(24, i -> Load.post("/api/v1/pools/capped/query",
                "{\"sql\": \"SELECT pg_sleep(0.2)\"}"))) {
            assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> status("capped")
                    .getBoolean("autoscaling.heldByCeiling")), "the ceiling holds growth back: " + status("capped")
                            .getMap("autoscaling"));
            JsonPath held = status("capped");
            int ceiling = held.getInt("autoscaling.ceiling");
            // max_connections 20 - 3 reserved - 2 headroom (10%), less the probe's connection
            assertTrue(ceiling <= 14, "ceiling " + ceiling);
            // the ceiling is read again at every sample and dips by one while a connection of the server is
            // being replaced, so the latest one can sit one below the target it held a sample ago; what must
            // hold is the server's room: never more than 14 (24 clients would take 24)
            assertTrue(held.getInt("sizes.target") <= 14 && held.getInt("sizes.total") <= 14,
                    held.getMap("sizes") + ", ceiling " + ceiling);
            assertTrue(held.getInt("sizes.target") < 30, "far below max");
            load.close();
            assertEquals(List.of("200"), List.copyOf(Load.byStatus(load.answers()).keySet()),
                    "requests queue at the ceiling instead of failing with 'too many connections': "
                            + Load.byStatus(load.answers()));
        }
    }

    @Test
    void aManualScaleWinsForOneCooldown() throws Exception {
        assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> target("scaled") == 1));
        java.time.Instant before = java.time.Instant.now();
        given().contentType("application/json").body("{\"target\": 4}").post("/api/v1/pools/scaled/scale").then()
                .statusCode(200).body("target", equalTo(4));
        assertTrue(Gateway.eventually(Duration.ofSeconds(30), () -> target("scaled") < 4),
                "then the scaler takes over again");
        List<java.util.Map<String, Object>> decisions = status("scaled").getList("autoscaling.decisions");
        java.util.Map<String, Object> first = decisions.stream()
                .filter(d -> java.time.Instant.parse((String) d.get("at")).isAfter(before)).findFirst().orElseThrow();
        assertEquals(4, first.get("from"), "the scaler started from the operator's size");
        java.time.Instant decided = java.time.Instant.parse((String) first.get("at"));
        assertTrue(!decided.isBefore(before.plusMillis(500)), "not within the cooldown (500 ms) of the manual scale: "
                + "scale sent " + before + ", first decision " + decided);
    }
}
