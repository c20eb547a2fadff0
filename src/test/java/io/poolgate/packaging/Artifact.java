package io.poolgate.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged gateway as operators run it: the native binary if one was built, else the JVM jar. */
final class Artifact {

    private Artifact() {
    }

    /** What the build made, as Quarkus records it in {@code target/quarkus-artifact.properties}. */
    static boolean isNative() {
        try {
            return Files.readString(Path.of("target", "quarkus-artifact.properties")).contains("type=native");
        } catch (IOException e) {
            throw new IllegalStateException("no target/quarkus-artifact.properties: run after the package phase", e);
        }
    }

    /** The folder of libraries the artifact was built from. */
    static Path libraries() throws IOException {
        if (!isNative()) {
            return Path.of("target", "quarkus-app", "lib");
        }
        try (var entries = Files.list(Path.of("target"))) {
            return entries.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar"))
                    .map(p -> p.resolve("lib")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no native-image source jar in target/"));
        }
    }

    static List<String> command() {
        return command(List.of());
    }

    /** The command line with system properties ({@code -Dkey=value}), which both artifacts read. */
    static List<String> command(List<String> properties) {
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(System.getProperty("native.image.path"));
            command.addAll(properties);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(properties);
            command.add("-jar");
            command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
        }
        return command;
    }

    /** The result of running the artifact until it exits (or is killed after {@code seconds}). */
    record Run(int exitCode, String output, boolean timedOut) {
    }

    /**
     * Runs the artifact until a line of its output contains {@code marker} (or {@code seconds} pass),
     * then stops it; the output is everything printed up to that line.
     */
    static Run runUntil(Map<String, String> env, String marker, int seconds) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        boolean seen = false;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            String line;
            while (!seen && System.nanoTime() < deadline && (line = reader.readLine()) != null) {
                output.append(line).append('\n');
                seen = line.contains(marker);
            }
            process.destroy(); // closes the output too: what comes after the marker is not read
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        return new Run(seen ? 0 : -1, output.toString(), !seen);
    }

    static Run run(Map<String, String> env, int seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(command());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes());
        return new Run(exited ? process.exitValue() : -1, output, !exited);
    }
}
