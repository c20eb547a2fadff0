package io.poolgate.api;

import io.poolgate.pool.PoolSnapshot;
import io.poolgate.pool.Pools;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /api/v1/pools/{pool}} shows operators.
 *
 * @param sizes       connections by state, and the bounds
 * @param waiters     requests waiting for a connection
 * @param utilization in-use / max
 * @param reuse       how often a request got a connection that had been used before
 * @param counters    events since start
 * @param nodes       the backend servers (passwords hidden)
 */
@RegisterForReflection
public record PoolStatus(String name, String kind, Sizes sizes, int waiters, double utilization, Reuse reuse,
        Counters counters, List<NodeStatus> nodes) {

    /** Connections by state and the pool's bounds. */
    @RegisterForReflection
    public record Sizes(int total, int inUse, int idle, int connecting, int target, int min, int max) {
    }

    /** Acquisitions, how many got a connection never lent before, and the share served by reuse. */
    @RegisterForReflection
    public record Reuse(long acquired, long firstUses, double ratio) {
    }

    /** Events since start. */
    @RegisterForReflection
    public record Counters(long created, long createFailures, long destroyed, long timeouts, long rejected,
            long leaks) {
    }

    /** One backend server. */
    @RegisterForReflection
    public record NodeStatus(String name, String url, String role, int weight) {
    }

    static PoolStatus of(Pools.Entry entry) {
        PoolSnapshot s = entry.pool().snapshot();
        List<NodeStatus> nodes = entry.pool().settings().nodes().stream()
                .map(n -> new NodeStatus(n.name(), n.safeUrl(), n.role().name().toLowerCase(Locale.ROOT), n.weight()))
                .toList();
        return new PoolStatus(entry.name(), entry.kind().name().toLowerCase(Locale.ROOT),
                new Sizes(s.total(), s.inUse(), s.idle(), s.connecting(), s.target(), s.min(), s.max()),
                s.waiting(), round(s.utilization()), new Reuse(s.acquired(), s.firstUses(), round(s.reuseRatio())),
                new Counters(s.created(), s.createFailures(), s.destroyed(), s.timeouts(), s.rejected(), s.leaks()), nodes);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
