package io.poolgate;

import io.poolgate.dev.EmbeddedPostgres;
import io.poolgate.dev.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Real PostgreSQL and Redis servers for the test suite, started once per JVM on free ports and
 * pointed at by the test configuration.
 */
public final class EmbeddedServers implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static EmbeddedRedis redis;

    /** Starts the servers (once) and returns their URLs. */
    public static synchronized Map<String, String> urls() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.start(0, null);
                redis = EmbeddedRedis.start(0);
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServers::stopAll));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded test servers", e);
        }
        return Map.of("postgres", postgres.url(), "redis", redis.url());
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
        } catch (IOException e) {
            // the JVM is exiting; nothing else to do
        }
    }
}
