package io.poolgate.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The families the alert rules and the dashboard are written against ({@link MetricFamilies}) are
 * exactly the {@code poolgate_*} families a running gateway exports on {@code /q/metrics} after
 * real traffic: a renamed meter fails here, not in an operator's empty Grafana panel.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class ExportedFamiliesTest {

    private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (poolgate_\\w+) (\\w+)$");

    @Test
    void theContractIsWhatTheGatewayExports() {
        given().contentType("application/json").body("{\"sql\": \"SELECT 1\"}").post("/api/v1/pools/main/query")
                .then().statusCode(200);
        given().contentType("application/json").body("[\"PING\"]").post("/api/v1/pools/cache/command")
                .then().statusCode(200);
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();

        Set<String> exported = new TreeSet<>();
        Set<String> histograms = new TreeSet<>();
        Matcher m = TYPE.matcher(scrape);
        while (m.find()) {
            // Prometheus TYPE lines name counters without _total; PromQL queries them with it
            exported.add(m.group(2).equals("counter") ? m.group(1) + "_total" : m.group(1));
            if (m.group(2).equals("histogram")) {
                histograms.add(m.group(1));
            }
        }
        // Micrometer writes a histogram's max as a gauge family of its own: it belongs to the histogram
        exported.removeIf(name -> name.endsWith("_max") && histograms.contains(name.substring(0, name.length() - 4)));
        assertEquals(new TreeSet<>(MetricFamilies.EXPORTED), exported);
    }
}
