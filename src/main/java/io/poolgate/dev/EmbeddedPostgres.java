package io.poolgate.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL server (zonky's embedded binaries) for dev mode and tests. Never part of the
 * production artifact: its library is a {@code provided} dependency.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Path dataDirectory;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts a server on {@code port} (0: any free port). With a {@code dataDirectory}, data
     * survives restarts; without one, a throw-away directory is used.
     */
    public static EmbeddedPostgres start(int port, Path dataDirectory) throws IOException {
        return start(port, dataDirectory, Map.of());
    }

    /** {@link #start(int, Path)} with extra server settings ({@code -c name=value}). */
    public static EmbeddedPostgres start(int port, Path dataDirectory, Map<String, String> settings) throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setPort(port)
                .setServerConfig("max_connections", "200")
                .setServerConfig("unix_socket_directories", "")
                .setPGStartupWait(Duration.ofSeconds(60)); // a loaded CI machine can take more than the default 10 s
        settings.forEach(builder::setServerConfig);
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        return new EmbeddedPostgres(builder.start(), dataDirectory);
    }

    public int port() {
        return server.getPort();
    }

    /** The data directory given at start; null for a throw-away one. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The URL poolgate's configuration takes: superuser {@code postgres}, database {@code postgres}. */
    public String url() {
        return "postgresql://postgres@localhost:" + port() + "/postgres";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
