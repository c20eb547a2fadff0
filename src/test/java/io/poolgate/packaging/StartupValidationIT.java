package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                "POOLGATE_AUTH_ENABLED", "false", // only the pool rule is under test
                "POOLGATE_POOLS_MAIN_SIZE_MIN", "30",
                "POOLGATE_POOLS_MAIN_SIZE_MAX", "20",
                "QUARKUS_HTTP_PORT", "0"), 60);

        assertFalse(run.timedOut(), "the gateway should have stopped, output:\n" + run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("poolgate.pools.main.size: min (30) must be <= max (20)"), run.output());
    }

    @Test
    void withoutAKeyOrJwtVerificationTheProductionGatewayDoesNotStart() throws Exception {
        Artifact.Run run = Artifact.run(Map.of("QUARKUS_HTTP_PORT", "0"), 60);

        assertFalse(run.timedOut(), "the gateway should have stopped, output:\n" + run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("poolgate.auth.keys: authentication is on (poolgate.auth.enabled=true) but "
                + "no key is configured"), run.output());
    }

    @Test
    void aKeyHashThatIsNotASha256StopsStartUpWithoutShowingIt() throws Exception {
        String pasted = "pgk-PASTED-THE-KEY-ITSELF";
        Artifact.Run run = Artifact.run(Map.of(
                "QUARKUS_HTTP_PORT", "0",
                "POOLGATE_AUTH_KEYS_APP_HASH", pasted,
                "POOLGATE_AUTH_KEYS_APP_SCOPES", "read"), 60);

        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("poolgate.auth.keys.app.hash: must be the hex SHA-256 of the key"),
                run.output());
        assertFalse(run.output().contains(pasted), run.output());
    }

    @Test
    void runningOpenIsOnlyByChoiceAndWarnsOnce() throws Exception {
        Artifact.Run run = Artifact.runUntil(Map.of("QUARKUS_HTTP_PORT", "0", "POOLGATE_AUTH_ENABLED", "false"),
                "started in", 60);

        assertFalse(run.timedOut(), "the gateway should have started, output:\n" + run.output());
        long warnings = run.output().lines().filter(l -> l.contains("WARN") && l.contains("authentication is off"))
                .count();
        assertEquals(1, warnings, run.output());
    }
}
