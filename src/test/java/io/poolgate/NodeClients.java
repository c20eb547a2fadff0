package io.poolgate;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the official npm clients' test scripts of {@code src/test/node} (Node's own test runner) and
 * turns each of their top-level tests into a JUnit test. The project's dependencies are installed
 * with {@code npm ci} from the committed lockfile the first time, so a fresh checkout needs no step
 * of its own.
 */
public final class NodeClients {

    private static final Path PROJECT = Path.of("src", "test", "node");
    /** A top-level TAP result line: {@code ok 3 - name} or {@code not ok 3 - name # comment}. */
    private static final Pattern RESULT = Pattern.compile("^(not )?ok (\\d+) - (.*?)(?: # .*)?$");
    private static boolean installed;

    private NodeClients() {
    }

    /** One client test: its name, whether it passed, and its report (the error and the stack, when it failed). */
    public record Outcome(String name, boolean passed, String report) {
    }

    /** Runs {@code script} with {@code env} and gives one JUnit test per top-level Node test. */
    public static Stream<DynamicTest> tests(String script, Map<String, String> env) {
        Run run = run(script, env);
        List<Outcome> outcomes = outcomes(run.output());
        if (outcomes.isEmpty()) {
            fail("node " + script + " reported no tests (exit code " + run.exitCode() + "):\n" + run.output());
        }
        boolean anyFailed = outcomes.stream().anyMatch(o -> !o.passed());
        if (run.exitCode() != 0 && !anyFailed) {
            fail("node " + script + " exited with " + run.exitCode() + " though every test passed:\n" + run.output());
        }
        return outcomes.stream().map(outcome -> DynamicTest.dynamicTest(outcome.name(), () -> {
            if (!outcome.passed()) {
                fail(script + ": " + outcome.name() + "\n" + outcome.report());
            }
        }));
    }

    private record Run(int exitCode, String output) {
    }

    /** Installs the dependencies unless npm's record of the installed tree is at least as new as the lockfile. */
    private static synchronized void install() {
        Path installedTree = PROJECT.resolve("node_modules").resolve(".package-lock.json");
        try {
            if (installed || Files.exists(installedTree) && Files.getLastModifiedTime(installedTree)
                    .compareTo(Files.getLastModifiedTime(PROJECT.resolve("package-lock.json"))) >= 0) {
                installed = true;
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Run run = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        if (run.exitCode() != 0) {
            fail("npm ci in " + PROJECT + " failed (exit code " + run.exitCode() + "):\n" + run.output());
        }
        installed = true;
    }

    private static Run run(String script, Map<String, String> env) {
        install();
        return exec(List.of("node", "--test", "--test-reporter=tap", script), env, 300);
    }

    private static Run exec(List<String> command, Map<String, String> env, long timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("cannot run '" + command.get(0) + "' (" + e.getMessage() + "): the client tests need Node.js 20 or "
                    + "later and npm on the PATH");
            throw new AssertionError(e);
        }
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes(); // until the process closes it
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** The top-level tests of a TAP report, each with the indented lines that follow it. */
    static List<Outcome> outcomes(String tap) {
        List<Outcome> outcomes = new ArrayList<>();
        String[] lines = tap.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = RESULT.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            StringBuilder report = new StringBuilder();
            for (int j = i + 1; j < lines.length && lines[j].startsWith(" "); j++) {
                report.append(lines[j]).append('\n');
            }
            outcomes.add(new Outcome(m.group(3), m.group(1) == null, report.toString()));
        }
        return outcomes;
    }
}
