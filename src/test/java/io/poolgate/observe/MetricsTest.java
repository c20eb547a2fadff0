package io.poolgate.observe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape after real traffic: every family present, labelled, and plausible. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class MetricsTest {

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the one sample whose name and labels start as given, e.g. {@code name{a="b",...}}. */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:,[^}]*)?} (\\S+)$").matcher(scrape);
        assertTrue(m.find(), "no sample " + series + "} in the scrape");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void acquireCountEqualsTheQueriesMade() {
        String series = "poolgate_pool_operations_total{kind=\"postgres\",operation=\"acquire\",pool=\"tiny\",result=\"success\"";
        double before = sample(scrape(), series);
        for (int i = 0; i < 7; i++) {
            given().contentType("application/json").body("{\"sql\": \"SELECT 1\"}").post("/api/v1/pools/tiny/query")
                    .then().statusCode(200);
        }
        assertEquals(before + 7, sample(scrape(), series));
    }

    @Test
    void everyFamilyIsExportedWithItsLabels() {
        given().contentType("application/json").body("[\"PING\"]").post("/api/v1/pools/cache/command").then()
                .statusCode(200);
        given().contentType("application/json").body("{\"sql\": \"SELECT 1\"}").post("/api/v1/pools/main/query").then()
                .statusCode(200);
        String s = scrape();
        double total = sample(s, "poolgate_pool_connections{kind=\"postgres\",pool=\"main\",state=\"total\"");
        assertTrue(total >= 2 && total <= 5, "main holds between min 2 and max 5 connections: " + total);
        assertEquals(5, sample(s, "poolgate_pool_max_size{kind=\"postgres\",pool=\"main\""));
        assertEquals(2, sample(s, "poolgate_pool_min_size{kind=\"postgres\",pool=\"main\""));
        sample(s, "poolgate_pool_connections{kind=\"redis\",pool=\"cache\",state=\"in_use\"");
        sample(s, "poolgate_pool_target_size{kind=\"postgres\",pool=\"main\"");
        assertEquals(0, sample(s, "poolgate_pool_waiters{kind=\"postgres\",pool=\"main\""));
        double utilization = sample(s, "poolgate_pool_utilization{kind=\"postgres\",pool=\"main\"");
        assertTrue(utilization >= 0 && utilization <= 1);
        double reuse = sample(s, "poolgate_pool_reuse_ratio{kind=\"redis\",pool=\"cache\"");
        assertTrue(reuse >= 0 && reuse <= 1);
        sample(s, "poolgate_pool_leases{kind=\"postgres\",pool=\"main\"");
        assertTrue(sample(s, "poolgate_pool_operations_total{kind=\"postgres\",operation=\"create\",pool=\"main\",result=\"success\"") >= 2);
        sample(s, "poolgate_pool_operations_total{kind=\"postgres\",operation=\"release\",pool=\"main\",result=\"success\"");
        sample(s, "poolgate_pool_operations_total{kind=\"postgres\",operation=\"destroy\",pool=\"main\",result=\"success\"");
        sample(s, "poolgate_pool_operations_total{kind=\"postgres\",operation=\"acquire\",pool=\"main\",result=\"timeout\"");
        sample(s, "poolgate_pool_operations_total{kind=\"postgres\",operation=\"acquire\",pool=\"main\",result=\"rejected\"");
        sample(s, "poolgate_leaks_total{kind=\"postgres\",pool=\"main\"");
        assertTrue(sample(s, "poolgate_pool_acquire_seconds_count{kind=\"postgres\",pool=\"main\"") >= 1);
        sample(s, "poolgate_pool_acquire_seconds_bucket{kind=\"postgres\",pool=\"main\",le=\"0.001\"");
        assertEquals(1, sample(s, "poolgate_node_healthy{kind=\"postgres\",node=\"primary\",pool=\"main\""));
        assertTrue(sample(s, "poolgate_request_seconds_count{api=\"query\",outcome=\"success\"") >= 1);
        assertTrue(sample(s, "poolgate_request_seconds_count{api=\"command\",outcome=\"success\"") >= 1);
    }

    @Test
    void errorsAreCountedByOutcome() {
        String series = "poolgate_request_seconds_count{api=\"query\",outcome=\"backend_error\"";
        double before = sample(scrape(), series);
        given().contentType("application/json").body("{\"sql\": \"SELECT 1/0\"}").post("/api/v1/pools/main/query")
                .then().statusCode(422);
        assertEquals(before + 1, sample(scrape(), series));
    }
}
