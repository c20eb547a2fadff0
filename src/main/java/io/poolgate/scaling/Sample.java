package io.poolgate.scaling;

/**
 * One reading of a node's engine, taken every {@code sample-interval}.
 *
 * @param at               ticker time of the reading
 * @param utilization      in use / open connections (0 when none are open)
 * @param waiters          requests waiting for a connection
 * @param requestRate      acquisitions per second since the previous reading
 * @param acquireP95Millis the 95th percentile of the waits since the previous reading
 */
public record Sample(long at, double utilization, int waiters, double requestRate, double acquireP95Millis) {
}
