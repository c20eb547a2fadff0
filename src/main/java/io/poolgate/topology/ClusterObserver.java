package io.poolgate.topology;

import io.poolgate.pool.PoolEvents;

/** Watches pools as they are built (metrics); a CDI bean implementing it is picked up by {@link Pools}. */
public interface ClusterObserver {

    /** Called once per pool before it lends anything; returns what to tell of its acquisitions. */
    PoolEvents observe(Cluster<?> cluster);
}
