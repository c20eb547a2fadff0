package io.poolgate;

import io.poolgate.dev.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests that a test can take down the way production servers go
 * down: stopped cleanly, killed ({@code SIGKILL} of the postmaster and every backend, a crash),
 * frozen ({@code SIGSTOP}: a hung host that still accepts TCP connections) and thawed, and
 * started again on the same port with the same data. {@link #replicaOf} builds a real streaming
 * replica: the embedded binaries have no {@code pg_basebackup}, so the primary is stopped, its data
 * directory copied, {@code standby.signal} added, and both started.
 */
public final class TestPostgres {

    private final int port;
    private final Path data;
    private final Map<String, String> settings;
    private EmbeddedPostgres server;
    private boolean killed;

    private TestPostgres(int port, Path data, Map<String, String> settings) {
        this.port = port;
        this.data = data;
        this.settings = settings;
    }

    /** A new server on a free port with a data directory of its own. */
    public static TestPostgres start(String name, Map<String, String> settings) throws IOException {
        TestPostgres pg = new TestPostgres(io.poolgate.dev.EmbeddedRedis.freePort(),
                Files.createTempDirectory("poolgate-" + name + "-pg"), settings);
        pg.start();
        return pg;
    }

    /** A new server on {@code port} (one the test chose before anything listened there). */
    public static TestPostgres startOn(int port, String name) throws IOException {
        TestPostgres pg = new TestPostgres(port, Files.createTempDirectory("poolgate-" + name + "-pg"), Map.of());
        pg.start();
        return pg;
    }

    /**
     * A streaming replica of {@code primary}: the primary is stopped, its data copied, the copy made a
     * standby of it, and both started. A write on the primary shows on the replica a moment later.
     */
    public static TestPostgres replicaOf(TestPostgres primary, String name) throws IOException {
        primary.stop();
        Path copy = Files.createTempDirectory("poolgate-" + name + "-pg");
        copyTree(primary.data, copy);
        Files.writeString(copy.resolve("standby.signal"), "");
        // in the config file, not on the command line: pg_ctl -o would split the value at its spaces
        Files.writeString(copy.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + primary.port
                + " user=postgres application_name=" + name + "'\n", java.nio.file.StandardOpenOption.APPEND);
        TestPostgres replica = new TestPostgres(io.poolgate.dev.EmbeddedRedis.freePort(), copy,
                Map.of("hot_standby", "on"));
        primary.start();
        replica.start();
        return replica;
    }

    /** A clean stop ({@code pg_ctl stop -m fast}): clients see 57P01 "terminating connection". */
    public synchronized void stop() throws IOException {
        if (killed) {
            start(); // recover, then stop cleanly
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** A crash: SIGKILL to the postmaster and all its backends. {@link #start} recovers it. */
    public synchronized void kill() {
        if (server == null || killed) {
            return;
        }
        List<ProcessHandle> processes = processes();
        processes.forEach(ProcessHandle::destroyForcibly);
        processes.forEach(p -> p.onExit().join());
        killed = true;
    }

    public synchronized void start() throws IOException {
        if (killed) {
            killed = false;
            try {
                server.close(); // its pg_ctl stop finds nothing to stop; this releases zonky's lock on the data
            } catch (IOException e) {
                // expected: the server is gone already
            }
            Files.deleteIfExists(data.resolve("postmaster.pid"));
            server = null;
        }
        if (server == null) {
            server = EmbeddedPostgres.start(port, data, settings);
        }
    }

    /** A hung host: SIGSTOP to the postmaster and every backend (TCP connects still succeed). */
    public void freeze() {
        signal("-STOP");
    }

    /** The end of a freeze: SIGCONT. */
    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        List<String> pids = processes().stream().map(p -> Long.toString(p.pid())).toList();
        if (pids.isEmpty()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(Stream.concat(Stream.of("kill", signal), pids.stream()).toList())
                    .inheritIO().start();
            kill.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The postmaster (from postmaster.pid) and its children. */
    private List<ProcessHandle> processes() {
        try {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return List.of();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).map(p -> Stream.concat(Stream.of(p), p.descendants()).toList())
                    .orElse(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "postgresql://postgres@localhost:" + port + "/postgres";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                String name = source.getFileName().toString();
                if (name.equals("postmaster.pid") || name.equals("postmaster.opts") || name.equals("epg-lock")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
