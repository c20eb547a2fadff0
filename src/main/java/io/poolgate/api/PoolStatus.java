package io.poolgate.api;

import io.poolgate.pool.PoolSnapshot;
import io.poolgate.pool.Pools;
import io.poolgate.topology.NodeHealth;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /api/v1/pools/{pool}} shows operators.
 *
 * @param paused      whether lending is paused (new acquisitions wait)
 * @param sizes       connections by state, and the bounds
 * @param waiters     requests waiting for a connection
 * @param utilization in-use / max
 * @param leases      connections pinned by session leases
 * @param reuse       how often a request got a connection that had been lent before
 * @param acquireWait how long requests waited for connections, cumulative (the status page derives
 *                    the mean wait per interval from two readings)
 * @param counters    events since start
 * @param nodes       the backend servers (passwords hidden) and what their probes found
 */
@RegisterForReflection
public record PoolStatus(String name, String kind, boolean paused, Sizes sizes, int waiters, double utilization,
        int leases, Reuse reuse, AcquireWait acquireWait, Counters counters, List<NodeStatus> nodes) {

    /** Connections by state and the pool's bounds. */
    @RegisterForReflection
    public record Sizes(int total, int inUse, int idle, int connecting, int target, int min, int max) {
    }

    /** Acquisitions, how many got a connection never lent before, and the share served by reuse. */
    @RegisterForReflection
    public record Reuse(long acquired, long firstUses, double ratio) {
    }

    /** Acquisitions and the total time their requests waited. */
    @RegisterForReflection
    public record AcquireWait(long count, double totalMillis) {
    }

    /** Events since start. */
    @RegisterForReflection
    public record Counters(long created, long createFailures, long destroyed, long timeouts, long rejected,
            long acquireErrors, long releasedBroken, long leaks) {
    }

    /** One backend server and its last probe. */
    @RegisterForReflection
    public record NodeStatus(String name, String url, String role, int weight, boolean healthy, String probe,
            double probeLatencyMillis) {
    }

    static PoolStatus of(Pools.Entry entry) {
        PoolSnapshot s = entry.pool().snapshot();
        PoolSnapshot.Counters c = s.counters();
        List<NodeStatus> nodes = entry.nodes().stream().map(PoolStatus::node).toList();
        return new PoolStatus(entry.name(), entry.kind().name().toLowerCase(Locale.ROOT), s.paused(),
                new Sizes(s.total(), s.inUse(), s.idle(), s.connecting(), s.target(), s.min(), s.max()),
                s.waiting(), round(s.utilization()), s.pinned(), new Reuse(c.acquired(), c.firstUses(), round(s.reuseRatio())),
                new AcquireWait(c.acquired(), round(c.waitNanos() / 1e6)),
                new Counters(c.created(), c.createFailures(), c.destroyed(), c.timeouts(), c.rejected(),
                        c.acquireErrors(), c.releasedBroken(), c.leaks()),
                nodes);
    }

    private static NodeStatus node(NodeHealth health) {
        var n = health.node();
        String probe = !health.probed() ? "pending" : health.healthy() ? "ok" : health.lastError();
        return new NodeStatus(n.name(), n.safeUrl(), n.role().name().toLowerCase(Locale.ROOT), n.weight(),
                health.healthy(), probe, round(health.latencyNanos() / 1e6));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
