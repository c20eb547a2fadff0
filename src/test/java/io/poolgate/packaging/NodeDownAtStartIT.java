package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.poolgate.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway starts with its PostgreSQL down: it does not fail, liveness is UP, readiness
 * DOWN and requests get a 503; when the server comes up the node joins, without a restart.
 */
class NodeDownAtStartIT {

    static final String KEY = CleanStopIT.KEY;
    static final String KEY_HASH = CleanStopIT.KEY_HASH;

    @Test
    void startsWithItsNodeDownAndTakesItInWhenItComesUp() throws Exception {
        var urls = EmbeddedServers.urls();
        int port = freePort();
        int pgPort = freePort();
        Path log = Files.createTempFile("poolgate-node-down", ".log");
        List<String> command = Artifact.command(List.of("-Dquarkus.http.port=" + port,
                "-Dpoolgate.pools.main.nodes[0].url=postgresql://postgres@localhost:" + pgPort + "/postgres",
                "-Dpoolgate.pools.cache.nodes[0].url=" + urls.get("redis"),
                "-Dpoolgate.pools.main.health.interval=300ms", "-Dpoolgate.pools.main.health.open-wait=500ms",
                "-Dpoolgate.pools.main.size.min=2", "-Dpoolgate.pools.cache.size.min=2",
                // production refuses to start open: one key, sent by every request below
                "-Dpoolgate.auth.keys.ops.hash=" + KEY_HASH, "-Dpoolgate.auth.keys.ops.scopes=write,admin",
                "-Dpoolgate.auth.keys.ops.pools=*"));
        Process gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestPostgres postgres = null;
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            assertTrue(poll(http, base + "/q/health/live", s -> s == 200), "live; log:\n" + Files.readString(log));
            assertEquals(503, get(http, base + "/q/health/ready"), "not ready without its database");
            assertEquals(503, post(http, base + "/api/v1/pools/main/query", "{\"sql\": \"SELECT 1\"}"));

            postgres = TestPostgres.startOn(pgPort, "node-down");
            assertTrue(poll(http, base + "/q/health/ready", s -> s == 200), "ready once the server is up; log:\n"
                    + Files.readString(log));
            assertEquals(200, post(http, base + "/api/v1/pools/main/query", "{\"sql\": \"SELECT 1\"}"));
            assertTrue(gateway.isAlive(), "the gateway never restarted");
        } finally {
            gateway.destroy();
            gateway.waitFor(60, TimeUnit.SECONDS);
            if (postgres != null) {
                postgres.stop();
            }
        }
    }

    private static boolean poll(HttpClient http, String url, IntPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (wanted.test(get(http, url))) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int post(HttpClient http, String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
