package io.poolgate.bench;

import io.poolgate.dev.EmbeddedPostgres;
import io.poolgate.dev.EmbeddedRedis;
import java.nio.file.Files;

/**
 * Real PostgreSQL and Redis for benchmarks, on the ports given ({@code Backends 55440 56380}),
 * until stdin closes or the process is killed. Prints {@code READY} once both accept connections.
 */
public final class Backends {

    private Backends() {
    }

    public static void main(String[] args) throws Exception {
        int pgPort = Integer.parseInt(args[0]);
        int redisPort = Integer.parseInt(args[1]);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(pgPort, Files.createTempDirectory("bench-pg"));
                EmbeddedRedis redis = EmbeddedRedis.start(redisPort)) {
            System.out.println("READY " + postgres.url() + " " + redis.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the servers until stdin closes
            }
        }
    }
}
