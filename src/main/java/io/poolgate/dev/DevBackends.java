package io.poolgate.dev;

import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Dev mode only ({@code ./mvnw quarkus:dev}): every pool node on localhost whose port is free
 * gets a real embedded server there before the pools start, so the gateway runs with no set-up.
 * PostgreSQL data lives in {@code target/dev-postgres/<port>} and survives restarts.
 */
@IfBuildProfile("dev")
@Singleton
final class DevBackends {

    private static final Logger LOG = Logger.getLogger(DevBackends.class);

    private final PoolgateConfig config;
    private final List<AutoCloseable> servers = new ArrayList<>();

    DevBackends(PoolgateConfig config) {
        this.config = config;
    }

    /** Runs before the pools start (lower priority value first). */
    void start(@Observes @Priority(10) StartupEvent event) {
        config.pools().forEach((pool, poolConfig) -> poolConfig.nodes().forEach(node -> {
            URI uri = URI.create(node.url());
            if (!"localhost".equals(uri.getHost()) || uri.getPort() <= 0 || inUse(uri.getPort())) {
                return;
            }
            try {
                if (poolConfig.kind() == Kind.POSTGRES) {
                    Path data = Path.of("target", "dev-postgres", Integer.toString(uri.getPort()));
                    servers.add(EmbeddedPostgres.start(uri.getPort(), data));
                    LOG.infof("dev: embedded PostgreSQL for pool '%s' on port %d (data in %s)", pool,
                            uri.getPort(), data);
                } else {
                    servers.add(EmbeddedRedis.start(uri.getPort()));
                    LOG.infof("dev: embedded Redis for pool '%s' on port %d", pool, uri.getPort());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("dev: could not start an embedded server for pool '" + pool
                        + "' on port " + uri.getPort(), e);
            }
        }));
    }

    void stop(@Observes @Priority(5000) ShutdownEvent event) {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warnf("dev: stopping an embedded server failed: %s", e.getMessage());
            }
        }
        servers.clear();
    }

    private static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
