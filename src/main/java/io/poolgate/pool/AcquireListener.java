package io.poolgate.pool;

/** Told of every lease handed out and how long its borrower waited; metrics hang here. */
@FunctionalInterface
public interface AcquireListener {

    AcquireListener NONE = waitedNanos -> {
    };

    /** Called outside the pool's lock, once per lease, with 0 when the borrower did not wait. */
    void acquired(long waitedNanos);
}
