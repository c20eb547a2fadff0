package io.poolgate.pool;

/** The pool's monotonic clock; tests drive a fake one by hand. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
