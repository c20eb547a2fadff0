package io.poolgate.pool;

/** Watches pools as they are built (metrics); a CDI bean implementing it is picked up by {@link Pools}. */
public interface PoolObserver {

    /** Called once per pool before it lends anything; returns what to tell of each acquisition. */
    AcquireListener observe(Pools.Entry entry);
}
