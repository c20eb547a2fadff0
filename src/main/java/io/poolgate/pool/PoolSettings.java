package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.time.Duration;
import java.util.List;

/**
 * Everything the engine needs to know about one pool, already validated.
 *
 * @param name           the pool's name, used in every message
 * @param nodes          the backend servers, at least one
 * @param sizes          min / max / initial connection counts
 * @param acquireTimeout how long a borrower may wait for a connection
 * @param maxWaiters     how many borrowers may wait at once; the next is rejected at once
 * @param reuse          when connections are checked, retired or replaced
 * @param leakThreshold  a lease held longer than this is reported once; zero turns reports off
 */
public record PoolSettings(String name, List<Node> nodes, Sizes sizes, Duration acquireTimeout,
        int maxWaiters, ReusePolicy reuse, Duration leakThreshold) {

    /** Connection counts: never fewer than {@code min}, never more than {@code max}; {@code initial} at start. */
    public record Sizes(int min, int max, int initial) {
    }

    public PoolSettings {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("pool '" + name + "' has no nodes");
        }
    }

    /** The node new connections go to until balancing is configured: the first primary. */
    public Node primary() {
        return nodes.stream().filter(n -> n.role() == Node.Role.PRIMARY).findFirst().orElse(nodes.get(0));
    }

    public PoolSettings withSizes(int min, int max, int initial) {
        return new PoolSettings(name, nodes, new Sizes(min, max, initial), acquireTimeout, maxWaiters, reuse,
                leakThreshold);
    }

    public PoolSettings withWaiting(Duration acquireTimeout, int maxWaiters) {
        return new PoolSettings(name, nodes, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold);
    }

    public PoolSettings withReuse(ReusePolicy reuse) {
        return new PoolSettings(name, nodes, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold);
    }

    public PoolSettings withLeakThreshold(Duration leakThreshold) {
        return new PoolSettings(name, nodes, sizes, acquireTimeout, maxWaiters, reuse, leakThreshold);
    }
}
