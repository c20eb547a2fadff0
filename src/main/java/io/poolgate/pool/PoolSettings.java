package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.time.Duration;

/**
 * Everything the engine needs to know about the connections of one pool to one node, already validated.
 *
 * @param name           the pool's name, used in every message
 * @param node           the backend server this engine connects to
 * @param sizes          min / max / initial connection counts
 * @param acquireTimeout how long a borrower may wait for a connection
 * @param maxWaiters     how many borrowers may wait at once; the next is rejected at once
 * @param reuse          when connections are checked, retired or replaced
 * @param leakThreshold  a lease held longer than this is reported once; zero turns reports off
 * @param timeouts       bounds on the engine's own waits on the backend (connect, validation, reset)
 */
public record PoolSettings(String name, Node node, Sizes sizes, Duration acquireTimeout, int maxWaiters,
        ReusePolicy reuse, Duration leakThreshold, BackendTimeouts timeouts) {

    /** Connection counts: never fewer than {@code min}, never more than {@code max}; {@code initial} at start. */
    public record Sizes(int min, int max, int initial) {
    }

    public PoolSettings withSizes(int min, int max, int initial) {
        return new PoolSettings(name, node, new Sizes(min, max, initial), acquireTimeout, maxWaiters, reuse,
                leakThreshold, timeouts);
    }

    public PoolSettings withWaiting(Duration acquireTimeout, int maxWaiters) {
        return new PoolSettings(name, node, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold, timeouts);
    }

    public PoolSettings withReuse(ReusePolicy reuse) {
        return new PoolSettings(name, node, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold, timeouts);
    }

    public PoolSettings withLeakThreshold(Duration leakThreshold) {
        return new PoolSettings(name, node, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold, timeouts);
    }

    public PoolSettings withTimeouts(BackendTimeouts timeouts) {
        return new PoolSettings(name, node, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold, timeouts);
    }

    /** The same settings for another node (a per-node engine of a multi-node pool). */
    public PoolSettings withNode(Node node) {
        return new PoolSettings(name, node, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold, timeouts);
    }
}
