package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
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
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway as operators run it (prod profile) against real servers: it starts, serves
 * SQL, Redis and a session lease, and stops on SIGTERM, logging not one WARN or ERROR in all that,
 * so an operator can keep treating every warning as worth reading.
 */
class CleanStopIT {

    static final String KEY = "pgk-clean-stop-test-key";
    static final String KEY_HASH = sha256(KEY);

    static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCleanStartAndStopLogNoWarningAndNoError() throws Exception {
        var urls = EmbeddedServers.urls();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("poolgate-clean-stop", ".log");
        List<String> command = Artifact.command(List.of("-Dquarkus.http.port=" + port,
                "-Dpoolgate.pools.main.nodes[0].url=" + urls.get("postgres"),
                "-Dpoolgate.pools.cache.nodes[0].url=" + urls.get("redis"),
                "-Dpoolgate.pools.main.size.min=2", "-Dpoolgate.pools.cache.size.min=2",
                // production refuses to start open: one key, sent by every request below
                "-Dpoolgate.auth.keys.ops.hash=" + KEY_HASH, "-Dpoolgate.auth.keys.ops.scopes=write,admin",
                "-Dpoolgate.auth.keys.ops.pools=*"));
        Process gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            assertTrue(ready(http, base + "/q/health/ready"), "ready; log:\n" + Files.readString(log));
            for (int i = 0; i < 20; i++) {
                assertEquals(200, post(http, base + "/api/v1/pools/main/query", "{\"sql\": \"SELECT $1::int\", "
                        + "\"params\": [" + i + "]}"));
                assertEquals(200, post(http, base + "/api/v1/pools/main/query", "{\"sql\": \"SET work_mem TO '8MB'\"}"));
                assertEquals(200, post(http, base + "/api/v1/pools/cache/command", "[\"SET\", \"clean-stop\", \"v\"]"));
            }
            assertEquals(201, post(http, base + "/api/v1/pools/main/sessions", "{}"), "a lease left open at the stop");
        } finally {
            gateway.destroy(); // SIGTERM
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "stopped within its grace period");
        }
        String output = Files.readString(log);
        assertTrue(output.contains("closed 2 pool(s)"), output);
        List<String> noisy = output.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")
                || l.contains("Exception")).toList();
        assertEquals(List.of(), noisy, "a clean start and stop log no WARN, no ERROR; the whole log:\n" + output);
    }

    private static boolean ready(HttpClient http, String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int post(HttpClient http, String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
