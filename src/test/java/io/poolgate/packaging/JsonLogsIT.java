package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code QUARKUS_LOG_CONSOLE_JSON_ENABLED=true} the packaged gateway logs one JSON object per line. */
class JsonLogsIT {

    @Test
    void logLinesAreJsonObjectsWithLevelAndMessage() throws Exception {
        // a bad size stops start-up at once: enough to see how start-up errors are logged
        Artifact.Run run = Artifact.run(Map.of(
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "POOLGATE_AUTH_ENABLED", "false",
                "POOLGATE_POOLS_MAIN_SIZE_MIN", "30",
                "POOLGATE_POOLS_MAIN_SIZE_MAX", "20",
                "QUARKUS_HTTP_PORT", "0"), 60);

        ObjectMapper json = new ObjectMapper();
        boolean found = false;
        for (String line : run.output().split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode entry = json.readTree(line);
            assertTrue(entry.has("level") && entry.has("message") && entry.has("timestamp"), line);
            found |= entry.get("message").asText().contains("poolgate.pools.main.size: min (30) must be <= max (20)")
                    || entry.path("exception").toString().contains("min (30) must be <= max (20)");
        }
        assertTrue(found, "the validation error is logged as JSON:\n" + run.output());
    }
}
