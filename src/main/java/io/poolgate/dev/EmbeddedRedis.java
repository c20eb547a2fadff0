package io.poolgate.dev;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real Redis server (6.2, codemonstur's embedded binaries) for dev mode and tests. Never part of
 * the production artifact: its library is a {@code provided} dependency.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server on {@code port} (0: any free port), without persistence. */
    public static EmbeddedRedis start(int port) throws IOException {
        int chosen = port == 0 ? freePort() : port;
        RedisServer server = RedisServer.newRedisServer().port(chosen).setting("bind 127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return new EmbeddedRedis(server, chosen);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://localhost:" + port;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
