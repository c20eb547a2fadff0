package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad configuration value stops the packaged gateway at start-up, naming key, rule and value. */
class StartupValidationIT {

    @Test
    void minAboveMaxStopsStartUpWithADiagnosis() throws Exception {
        Artifact.Run run = Artifact.run(Map.of(
                "POOLGATE_POOLS_MAIN_SIZE_MIN", "30",
                "POOLGATE_POOLS_MAIN_SIZE_MAX", "20",
                "QUARKUS_HTTP_PORT", "0"), 60);

        assertFalse(run.timedOut(), "the gateway should have stopped, output:\n" + run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("poolgate.pools.main.size: min (30) must be <= max (20)"), run.output());
    }
}
