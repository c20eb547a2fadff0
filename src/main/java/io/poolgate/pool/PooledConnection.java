package io.poolgate.pool;

import io.poolgate.topology.Node;

/**
 * One backend connection as the pool sees it: its lifecycle state and its history. The pool's
 * lock guards the state fields; the statistics are written by the lease holder and read by the
 * status API, hence volatile.
 */
final class PooledConnection<C> {

    final long id;
    final Node node;
    final long createdAt;
    final long expiresAt;
    C connection;
    ConnectionState state = ConnectionState.CONNECTING;
    long lastUsedAt;
    long uses;
    Lease<C> lease;
    boolean lost;
    /** The thread the connection's I/O runs on (where its connect completed); lent there first. */
    volatile Thread home;

    volatile long requests;
    volatile long errors;
    volatile double latencyEwmaMillis;

    PooledConnection(long id, Node node, long createdAt, long expiresAt) {
        this.id = id;
        this.node = node;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.lastUsedAt = createdAt;
    }

    void moveTo(ConnectionState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("connection " + id + " on node '" + node.name() + "' cannot go from "
                    + state + " to " + next);
        }
        state = next;
    }

    /** Whether the pool counts this connection as in use (lent, or being checked or reset for a borrower). */
    boolean isBusy() {
        return state == ConnectionState.IN_USE || state == ConnectionState.VALIDATING
                || state == ConnectionState.RESETTING;
    }

    /** Records one request run on this connection; EWMA weight 0.2 favours the recent past. */
    void recordRequest(long nanos, boolean failed) {
        requests++;
        if (failed) {
            errors++;
        }
        double millis = nanos / 1_000_000.0;
        double previous = latencyEwmaMillis;
        latencyEwmaMillis = previous == 0 ? millis : previous + 0.2 * (millis - previous);
    }

    @Override
    public String toString() {
        return "connection " + id + " on node '" + node.name() + "'";
    }
}
