package io.poolgate.pool;

/**
 * The lifecycle of one pooled connection:
 *
 * <pre>
 *   CONNECTING ──► IDLE ◄──► IN_USE ──► RESETTING ──► IDLE | IN_USE (handed to a waiter)
 *                   │  ▲                    │
 *                   ▼  │                    ▼
 *               VALIDATING ──► IN_USE    EXPIRED ──► CLOSED
 * </pre>
 *
 * Any state but CLOSED may go to EXPIRED (retired: too old, used too often, broken, failed a
 * check, or the pool is closing); a failed connect goes straight to CLOSED.
 */
public enum ConnectionState {
    CONNECTING,
    IDLE,
    IN_USE,
    VALIDATING,
    RESETTING,
    EXPIRED,
    CLOSED;

    /** Whether {@code next} may follow this state. */
    public boolean canMoveTo(ConnectionState next) {
        return switch (this) {
            case CONNECTING -> next == IDLE || next == IN_USE || next == EXPIRED || next == CLOSED;
            case IDLE -> next == IN_USE || next == VALIDATING || next == EXPIRED;
            case IN_USE -> next == IDLE || next == RESETTING || next == EXPIRED;
            case VALIDATING -> next == IN_USE || next == IDLE || next == EXPIRED;
            case RESETTING -> next == IDLE || next == IN_USE || next == EXPIRED;
            case EXPIRED -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /** Whether the connection occupies a slot of the pool (counts toward its size). */
    public boolean isLive() {
        return this != EXPIRED && this != CLOSED;
    }
}
