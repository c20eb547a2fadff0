package io.poolgate.security;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Backends that demand credentials and TLS: a PostgreSQL with {@code ssl=on} whose login
 * {@code app_login} needs a password and an encrypted connection (pg_hba {@code hostssl ...
 * scram-sha-256}, plain connections rejected), and a Redis with {@code requirepass}. Pools reach
 * them with the right password, a wrong one, and each {@code sslmode}.
 */
public final class HardenedBackends implements QuarkusTestResourceLifecycleManager {

    public static final String PG_PASSWORD = "pg-PASSWORD-SECRET-31d5";
    public static final String PG_WRONG_PASSWORD = "pg-WRONG-PASSWORD-SECRET-77c2";
    public static final String REDIS_PASSWORD = "redis-PASSWORD-SECRET-a9e4";
    public static final String REDIS_WRONG_PASSWORD = "redis-WRONG-PASSWORD-SECRET-0b6f";

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;
    private static RedisServer redis;
    private static int redisPort;

    @Override
    public Map<String, String> start() {
        try {
            startServers();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the hardened backends", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the login role", e);
        }
        int pg = postgres.getPort();
        Map<String, String> config = new HashMap<>();
        String login = "postgresql://app_login:" + PG_PASSWORD + "@localhost:" + pg + "/postgres";
        pool(config, "secure", "postgres", login + "?sslmode=require");
        pool(config, "verified", "postgres", login + "?sslmode=verify-full&sslrootcert=" + TestCertificates.CERT_PEM);
        pool(config, "mismatch", "postgres", "postgresql://app_login:" + PG_PASSWORD + "@127.0.0.1:" + pg
                + "/postgres?sslmode=verify-full&sslrootcert=" + TestCertificates.CERT_PEM);
        pool(config, "plain", "postgres", login + "?sslmode=disable");
        pool(config, "badpass", "postgres", "postgresql://app_login:" + PG_WRONG_PASSWORD + "@localhost:" + pg
                + "/postgres?sslmode=require");
        pool(config, "vault", "redis", "redis://:" + REDIS_PASSWORD + "@localhost:" + redisPort);
        pool(config, "vault-bad", "redis", "redis://:" + REDIS_WRONG_PASSWORD + "@localhost:" + redisPort);
        return config;
    }

    private static void pool(Map<String, String> config, String name, String kind, String url) {
        String key = "poolgate.pools." + name;
        config.put(key + ".kind", kind);
        config.put(key + ".nodes[0].name", "primary");
        config.put(key + ".nodes[0].url", url);
        config.put(key + ".size.min", "1");
        config.put(key + ".size.max", "2");
        config.put(key + ".acquire-timeout", "2s");
        config.put(key + ".required", "false");
        config.put(key + ".health.interval", "500ms");
    }

    private static synchronized void startServers() throws IOException, SQLException {
        if (postgres != null) {
            return;
        }
        TestCertificates.create();
        Path hba = TestCertificates.DIR.resolve("pg_hba.conf");
        Files.writeString(hba, """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                hostssl all app_login 127.0.0.1/32 scram-sha-256
                hostssl all app_login ::1/128 scram-sha-256
                """);
        postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setPort(0)
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", TestCertificates.CERT_PEM.toString())
                .setServerConfig("ssl_key_file", TestCertificates.KEY_PEM.toString())
                .setServerConfig("hba_file", hba.toString())
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE ROLE app_login LOGIN PASSWORD '" + PG_PASSWORD + "'");
            statement.execute("GRANT pg_read_all_stats TO app_login");
        }
        redisPort = io.poolgate.dev.EmbeddedRedis.freePort();
        redis = RedisServer.newRedisServer().port(redisPort).setting("bind 127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("requirepass " + REDIS_PASSWORD).build();
        redis.start();
        Runtime.getRuntime().addShutdownHook(new Thread(HardenedBackends::stopAll));
    }

    @Override
    public void stop() {
        // kept for the next test class; stopped when the JVM exits
    }

    private static synchronized void stopAll() {
        try {
            if (redis != null) {
                redis.stop();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            // the JVM is exiting
        }
    }
}
