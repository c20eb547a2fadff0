package io.poolgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's one-line command prints a new key and the hash the gateway computes for it. */
class KeyCommandTest {

    @Test
    void theReadmeCommandPrintsAKeyAndItsHash() throws Exception {
        String command = Files.readAllLines(Path.of("README.md")).stream().map(String::trim)
                .filter(line -> line.startsWith("k=\"pgk_")).findFirst()
                .orElseThrow(() -> new AssertionError("no key command in README.md"));
        Process bash = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        List<String> lines = new String(bash.getInputStream().readAllBytes()).lines().toList();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), String.join("\n", lines));
        String key = lines.get(0).replaceFirst("^key:\\s+", "");
        String hash = lines.get(1).replaceFirst("^hash:\\s+", "");
        assertTrue(key.matches("pgk_[0-9a-f]{48}"), key);
        assertEquals(Keys.hash(key), hash);
    }
}
