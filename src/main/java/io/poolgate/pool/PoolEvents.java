package io.poolgate.pool;

/**
 * What a pool tells the layers above it: metrics hang on {@link #acquired}, the node's breaker and
 * balancer on the rest. Every call is made outside the pool's lock and must not block.
 */
public interface PoolEvents {

    PoolEvents NONE = new PoolEvents() {
    };

    /** A lease was handed out; {@code waitedNanos} is 0 when the borrower did not wait. */
    default void acquired(long waitedNanos) {
    }

    /** A new connection to the node is ready. */
    default void connected() {
    }

    /**
     * Something that only a sick node or a broken network does: a connect failed or timed out, a
     * validation or reset failed or timed out, or a lent connection came back broken.
     */
    default void failed(String what) {
    }

    /** A borrower's request on one of the pool's connections finished ({@code failed}: with any error). */
    default void completed(long nanos, boolean failed) {
    }
}
