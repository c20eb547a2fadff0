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
        CONNECT_FAILED,
        /** The node takes no work: drained by the operator, or its circuit is open. */
        DRAINED,
        /** No node of the pool can serve the request (all open, drained, or of the wrong role). */
        NO_NODE
    }

    private final Reason reason;
    private final String pool;
    private final long waitedMillis;
    private final PoolSnapshot snapshot;

    /**
     * No node of the pool can take the request; {@code snapshot} is the whole pool's, and
     * {@code retryAfterSeconds} when the first open node will be tried again.
     */
    public static PoolUnavailableException noNode(String message, PoolSnapshot snapshot, long retryAfterSeconds) {
        PoolUnavailableException e = new PoolUnavailableException(Reason.NO_NODE, message, 0, snapshot, null);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    private long retryAfterSeconds;

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

    /** When to try again, as {@code Retry-After} says it. */
    public long retryAfterSeconds() {
        return switch (reason) {
            case QUEUE_FULL, TIMEOUT, DRAINED -> 1;
            case CONNECT_FAILED -> 2;
            case CLOSED -> 5;
            case NO_NODE -> retryAfterSeconds;
        };
    }
}
