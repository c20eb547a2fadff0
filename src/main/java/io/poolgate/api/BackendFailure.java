package io.poolgate.api;

/**
 * What a backend or the network did to a request once it had a connection: the connection broke
 * ({@link Kind#LOST}: 503, retry later), or the backend did not answer within the gateway's own
 * bound ({@link Kind#TIMEOUT}: 504). Either way the connection was closed and replaced, and
 * {@link #mayHaveWritten()} tells the client whether its statement may have taken effect, so it
 * does not blindly retry a write whose outcome is unknown.
 */
public final class BackendFailure extends RuntimeException {

    public enum Kind {
        LOST, TIMEOUT
    }

    private final Kind kind;
    private final String pool;
    private final String node;
    private final boolean mayHaveWritten;

    BackendFailure(Kind kind, String pool, String node, boolean mayHaveWritten, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.pool = pool;
        this.node = node;
        this.mayHaveWritten = mayHaveWritten;
    }

    public Kind kind() {
        return kind;
    }

    public String pool() {
        return pool;
    }

    public String node() {
        return node;
    }

    public boolean mayHaveWritten() {
        return mayHaveWritten;
    }

    /**
     * Whether {@code error} is what a driver reports when the connection or the network fails, as
     * opposed to an answer from the server (SQL error, Redis error reply) or a bug in poolgate:
     * the clients' own "closed" failures ({@code NoStackTraceThrowable} "Connection is closed",
     * "Connection is not active now"), socket errors, the Redis client's CONNECTION_CLOSED,
     * PostgreSQL's connection-ending SQLSTATEs (class 08, 57P0x), and the pool's own timeouts.
     */
    public static boolean isConnectionFailure(Throwable error) {
        if (error instanceof io.vertx.pgclient.PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.startsWith("57P"));
        }
        if (error instanceof io.vertx.redis.client.impl.types.ErrorType) {
            return "CONNECTION_CLOSED".equals(error.getMessage());
        }
        return error instanceof io.vertx.core.impl.NoStackTraceThrowable || error instanceof io.vertx.core.VertxException
                || error instanceof java.io.IOException || error instanceof io.poolgate.pool.BackendTimeoutException;
    }

    /** The sentence every such answer ends with. */
    public static String outcome(boolean mayHaveWritten) {
        return mayHaveWritten
                ? "the statement may have run: its outcome is unknown, check before retrying a write"
                : "nothing was written (read-only, or a transaction that never committed): safe to retry";
    }
}
