package io.poolgate;

import io.poolgate.dev.EmbeddedPostgres;
import io.poolgate.dev.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Real PostgreSQL and Redis servers for the test suite, started once per JVM on free ports and
 * pointed at by the test configuration:
 * <ul>
 * <li>{@code main}, {@code tiny}: one PostgreSQL; {@code cache}: one Redis;</li>
 * <li>{@code flaky}: a PostgreSQL that health tests stop and start again;</li>
 * <li>{@code ha}: a PostgreSQL primary and a real streaming replica of it, which topology tests
 * kill, freeze and restart;</li>
 * <li>{@code scaled}: the main PostgreSQL, sized by the scaler; {@code capped}: a small PostgreSQL
 * (max_connections 20) whose ceiling holds the scaler back;</li>
 * <li>{@code cache-ha}: two Redis servers; {@code cache-solo}: the second of them alone.</li>
 * </ul>
 */
public final class EmbeddedServers implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static EmbeddedRedis redis;
    private static TestPostgres flaky;
    private static TestPostgres haPrimary;
    private static TestPostgres haReplica;
    private static TestPostgres small;
    private static EmbeddedRedis redisA;
    private static EmbeddedRedis redisB;
    private static int redisBPort;

    /** Starts the servers (once) and returns their URLs. */
    public static synchronized Map<String, String> urls() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.start(0, null);
                redis = EmbeddedRedis.start(0);
                flaky = TestPostgres.start("flaky", Map.of());
                haPrimary = TestPostgres.start("ha-primary", Map.of("wal_keep_size", "64MB"));
                haReplica = TestPostgres.replicaOf(haPrimary, "ha-replica");
                small = TestPostgres.start("small", Map.of("max_connections", "20", "superuser_reserved_connections", "3"));
                redisA = EmbeddedRedis.start(0);
                redisBPort = EmbeddedRedis.freePort();
                redisB = EmbeddedRedis.start(redisBPort);
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServers::stopAll));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded test servers", e);
        }
        return Map.of("postgres", postgres.url(), "redis", redis.url(), "flaky", flaky.url(),
                "ha-primary", haPrimary.url(), "ha-replica", haReplica.url(), "small", small.url(),
                "redis-a", redisA.url(),
                "redis-b", "redis://localhost:" + redisBPort);
    }

    /** The flaky PostgreSQL, which health tests stop and start again. */
    public static synchronized TestPostgres flaky() {
        urls();
        return flaky;
    }

    /** The primary of the {@code ha} pool. */
    public static synchronized TestPostgres haPrimary() {
        urls();
        return haPrimary;
    }

    /** The streaming replica of the {@code ha} pool. */
    public static synchronized TestPostgres haReplica() {
        urls();
        return haReplica;
    }

    /** Stops the second Redis of {@code cache-ha}. */
    public static synchronized void stopRedisB() throws IOException {
        if (redisB != null) {
            redisB.close();
            redisB = null;
        }
    }

    /** Freezes the second Redis of {@code cache-ha} (SIGSTOP: TCP still accepts, nothing answers). */
    public static void freezeRedisB() {
        signalRedisB("-STOP");
    }

    /** Ends {@link #freezeRedisB()}: SIGCONT. */
    public static void thawRedisB() {
        signalRedisB("-CONT");
    }

    private static void signalRedisB(String signal) {
        // the server names itself "<path>/redis-server-<version> 127.0.0.1:<port>"
        ProcessHandle.current().descendants().filter(p -> {
            try {
                String title = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline"))
                        .replace('\0', ' ');
                // the program itself, not a process that merely names the port (the packaged gateway
                // under test has "redis://localhost:<port>" on its command line)
                String program = title.split(" ", 2)[0];
                return java.nio.file.Path.of(program).getFileName().toString().startsWith("redis-server")
                        && title.contains(":" + redisBPort);
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        }).forEach(p -> {
                    try {
                        new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start().waitFor();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    /** Starts the second Redis of {@code cache-ha} again, on the same port. */
    public static synchronized void startRedisB() throws IOException {
        if (redisB == null) {
            redisB = EmbeddedRedis.start(redisBPort);
        }
    }

    /** Stops the flaky PostgreSQL, as if its server went down. */
    public static void stopFlaky() throws IOException {
        flaky().stop();
    }

    /** Starts the flaky PostgreSQL again on the same port, with the same data. */
    public static void startFlaky() throws IOException {
        flaky().start();
    }

    public static synchronized EmbeddedPostgres postgres() {
        urls();
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> urls = urls();
        return Map.ofEntries(Map.entry("poolgate.pools.main.nodes[0].url", urls.get("postgres")),
                Map.entry("poolgate.pools.scaled.nodes[0].url", urls.get("postgres")),
                Map.entry("poolgate.pools.capped.nodes[0].url", urls.get("small")),
                Map.entry("poolgate.pools.tiny.nodes[0].url", urls.get("postgres")),
                Map.entry("poolgate.pools.zoned.nodes[0].url", urls.get("postgres")),
                Map.entry("poolgate.pools.flaky.nodes[0].url", urls.get("flaky")),
                Map.entry("poolgate.pools.cache.nodes[0].url", urls.get("redis")),
                Map.entry("poolgate.pools.ha.nodes[0].url", urls.get("ha-primary")),
                Map.entry("poolgate.pools.ha.nodes[1].url", urls.get("ha-replica")),
                Map.entry("poolgate.pools.cache-ha.nodes[0].url", urls.get("redis-a")),
                Map.entry("poolgate.pools.cache-ha.nodes[1].url", urls.get("redis-b")),
                Map.entry("poolgate.pools.cache-solo.nodes[0].url", urls.get("redis-b")),
                Map.entry("poolgate.pools.cache-exclusive.nodes[0].url", urls.get("redis")));
    }

    @Override
    public void stop() {
        // kept for the next test class; stopped when the JVM exits
    }

    private static synchronized void stopAll() {
        for (AutoCloseable server : new AutoCloseable[] { redis, redisA, redisB, postgres }) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the JVM is exiting; nothing else to do
            }
        }
        for (TestPostgres pg : new TestPostgres[] { flaky, haReplica, haPrimary, small }) {
            try {
                if (pg != null) {
                    pg.thaw();
                    pg.stop();
                }
            } catch (Exception e) {
                // the JVM is exiting
            }
        }
    }
}
