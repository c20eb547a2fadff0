package io.poolgate.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's promtool, found on the PATH (Debian's {@code prometheus} package installs
 * {@code /usr/bin/promtool}). Without it a test fails on CI, whose {@code .ci/run} installs it,
 * and is skipped elsewhere.
 */
final class Promtool {

    static final String INSTALL = "apt-get install -y prometheus";

    /** What promtool said and how it exited. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** Runs promtool with {@code args} in the working directory (the project's root under Maven). */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(locate(System.getenv("PATH"), System.getenv("CI")).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("promtool " + String.join(" ", args) + " did not exit within 60 s:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    /** The promtool on {@code path}; else fails when {@code ci} is "true", else aborts (skips) the test. */
    static Path locate(String path, String ci) {
        Optional<Path> found = find(path);
        if (found.isPresent()) {
            return found.get();
        }
        if ("true".equals(ci)) {
            return fail("promtool is not on the PATH: .ci/run should have installed it (" + INSTALL + ")");
        }
        return Assumptions.abort("promtool not installed: " + INSTALL);
    }

    private static Optional<Path> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "promtool");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
