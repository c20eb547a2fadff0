package io.poolgate;

import io.poolgate.dev.EmbeddedPostgres;
import io.poolgate.dev.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real PostgreSQL and Redis servers for the test suite, started once per JVM on free ports and
 * pointed at by the test configuration.
 */
public final class EmbeddedServers implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static EmbeddedRedis redis;
    /** A second PostgreSQL that health tests stop and start again, on the same port and data. */
    private static EmbeddedPostgres flaky;
    private static int flakyPort;
    private static Path flakyData;

    /** Starts the servers (once) and returns their URLs. */
    public static synchronized Map<String, String> urls() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.start(0, null);
                redis = EmbeddedRedis.start(0);
                flakyPort = EmbeddedRedis.freePort();
                flakyData = Files.createTempDirectory("poolgate-flaky-pg");
                flaky = EmbeddedPostgres.start(flakyPort, flakyData);
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServers::stopAll));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded test servers", e);
        }
        return Map.of("postgres", postgres.url(), "redis", redis.url(),
                "flaky", "postgresql://postgres@localhost:" + flakyPort + "/postgres");
    }

    /** Stops the flaky PostgreSQL, as if its server went down. */
    public static synchronized void stopFlaky() throws IOException {
        if (flaky != null) {
            flaky.close();
            flaky = null;
        }
    }

    /** Starts the flaky PostgreSQL again on the same port, with the same data. */
    public static synchronized void startFlaky() throws IOException {
        if (flaky == null) {
            flaky = EmbeddedPostgres.start(flakyPort, flakyData);
        }
    }

    public static synchronized EmbeddedPostgres postgres() {
        urls();
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> urls = urls();
        return Map.of(
                "poolgate.pools.main.nodes[0].url", urls.get("postgres"),
                "poolgate.pools.tiny.nodes[0].url", urls.get("postgres"),
                "poolgate.pools.zoned.nodes[0].url", urls.get("postgres"),
                "poolgate.pools.flaky.nodes[0].url", urls.get("flaky"),
                "poolgate.pools.cache.nodes[0].url", urls.get("redis"));
    }

    @Override
    public void stop() {
        // kept for the next test class; stopped when the JVM exits
    }

    private static synchronized void stopAll() {
        try {
            if (redis != null) {
                redis.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            stopFlaky();
        } catch (IOException e) {
            // the JVM is exiting; nothing else to do
        }
    }
}
