package io.poolgate.pool;

/**
 * A borrower could not get a connection. The message is a diagnosis: pool, cause, the number that
 * tripped, and the pool's state at that moment.
 */
public final class PoolUnavailableException extends RuntimeException {

    /** Why no connection was lent. */
    public enum Reason {
        /** The wait queue was full: rejected without waiting. */
        QUEUE_FULL,
        /** Waited the whole acquire timeout. */
        TIMEOUT,
        /** The pool is shutting down or shut down. */
        CLOSED,
        /** No connection exists and opening one failed. */
        CONNECT_FAILED
    }

    private final Reason reason;
    private final String pool;
    private final long waitedMillis;
    private final PoolSnapshot snapshot;

    PoolUnavailableException(Reason reason, String message, long waitedMillis, PoolSnapshot snapshot,
            Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
        this.pool = snapshot.name();
        this.waitedMillis = waitedMillis;
        this.snapshot = snapshot;
    }

    public Reason reason() {
        return reason;
    }

    public String pool() {
        return pool;
    }

    public long waitedMillis() {
        return waitedMillis;
    }

    public PoolSnapshot snapshot() {
        return snapshot;
    }
}
