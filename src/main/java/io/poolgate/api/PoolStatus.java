package io.poolgate.api;

import io.poolgate.pool.PoolSnapshot;
import io.poolgate.scaling.Autoscaler;
import io.poolgate.topology.Breaker;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Member;
import io.poolgate.redis.Multiplexer;
import io.poolgate.redis.RedisLink;
import io.poolgate.redis.Multiplexers;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /api/v1/pools/{pool}} shows operators. Pool figures are the sums over its nodes
 * (sizes apply per node); each node's own figures are in {@code nodes}.
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
 * @param balancer    how a node is picked for each request
 * @param autoscaling whether the scaler sizes the pool, its last decision (when, from, to, policy,
 *                    reason) and the server's ceiling when one holds growth back
 * @param nodes       the backend servers (passwords hidden), their circuits, probes and load
 * @param multiplexing Redis pools that share connections among stateless commands: how many
 *                    connections are lent to the multiplexer, the commands in flight on them, and the
 *                    commands run so far (these are not acquisitions); null when the pool does not
 */
@RegisterForReflection
public record PoolStatus(String name, String kind, boolean paused, Sizes sizes, int waiters, double utilization,
        int leases, Reuse reuse, AcquireWait acquireWait, Counters counters, BalancerStatus balancer,
        Autoscaler.Status autoscaling, List<NodeStatus> nodes, Multiplexing multiplexing) {

    /**
     * Connections shared by concurrent stateless Redis commands.
     *
     * @param connections connections lent to the multiplexer now (counted in {@code sizes.inUse})
     * @param coalesced   of those, the ones that write the commands of one event-loop turn at once
     *                    (all of them, unless the Redis client changed under the gateway)
     * @param inFlight    commands sent on them and not answered yet
     * @param commands    commands run on shared connections since start
     * @param overflowed  commands that found their shared connection full ({@value Multiplexer#MAX_IN_FLIGHT}
     *                    in flight) and took a connection of their own
     */
    @RegisterForReflection
    public record Multiplexing(int connections, int coalesced, int inFlight, long commands, long overflowed) {
        static Multiplexing of(Multiplexer<RedisLink> multiplexer) {
            return multiplexer == null ? null : new Multiplexing(multiplexer.connections(),
                    multiplexer.connectionsWhere(RedisLink::coalesced), multiplexer.inFlight(),
                    multiplexer.commands(), multiplexer.overflowed());
        }
    }

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

    /** The balancing strategy and the weights of the performance-based score. */
    @RegisterForReflection
    public record BalancerStatus(String strategy, Performance performance) {
    }

    /** Weights of the performance-based score. */
    @RegisterForReflection
    public record Performance(double latency, double throughput, double errorRate, double load) {
    }

    /**
     * One backend server.
     *
     * @param healthy            a probe has answered and the circuit is closed
     * @param available          it takes new work: healthy enough (circuit closed) and not drained
     * @param probe              "ok", "pending" or why the last probe failed
     * @param circuit            the breaker's state, since when, and its failure count
     * @param connections        the node's own connection counts (every login's)
     * @param roles              the connections of each database role's own login, by role
     * @param requests           requests run on the node since start
     * @param latencyMillis      EWMA request latency on the node
     * @param throughput         EWMA requests per second
     * @param errorRate          EWMA share of failed requests
     */
    @RegisterForReflection
    public record NodeStatus(String name, String url, String role, int weight, boolean draining, boolean healthy,
            boolean available, String probe, double probeLatencyMillis, Circuit circuit, NodeConnections connections,
            java.util.Map<String, NodeConnections> roles, long requests, double latencyMillis, double throughput,
            double errorRate) {
    }

    /** A node's circuit breaker. */
    @RegisterForReflection
    public record Circuit(String state, Instant since, int consecutiveFailures, String lastError) {
    }

    /** A node's connections. */
    @RegisterForReflection
    public record NodeConnections(int total, int inUse, int idle, int connecting, int waiters, int target, int max) {
    }

    static PoolStatus of(Cluster<?> cluster, Autoscaler autoscaler, Multiplexers multiplexers) {
        PoolSnapshot s = cluster.snapshot();
        PoolSnapshot.Counters c = s.counters();
        List<NodeStatus> nodes = cluster.members().stream().<NodeStatus>map(PoolStatus::node).toList();
        var weights = cluster.balancer().weights();
        return new PoolStatus(cluster.name(), cluster.kind().name().toLowerCase(Locale.ROOT), s.paused(),
                new Sizes(s.total(), s.inUse(), s.idle(), s.connecting(), s.target(), s.min(), s.max()),
                s.waiting(), round(s.utilization()), s.pinned(), new Reuse(c.acquired(), c.firstUses(), round(s.reuseRatio())),
                new AcquireWait(c.acquired(), round(c.waitNanos() / 1e6)),
                new Counters(c.created(), c.createFailures(), c.destroyed(), c.timeouts(), c.rejected(),
                        c.acquireErrors(), c.releasedBroken(), c.leaks()),
                new BalancerStatus(cluster.balancer().strategy().id(), new Performance(weights.latency(),
                        weights.throughput(), weights.errorRate(), weights.load())),
                autoscaler.status(cluster), nodes, Multiplexing.of(multiplexers.of(cluster.name())));
    }

    private static NodeStatus node(Member<?> member) {
        var n = member.node();
        String probe = !member.probed() ? "pending" : member.lastProbeError().isEmpty() ? "ok" : member.lastProbeError();
        Breaker breaker = member.breaker();
        PoolSnapshot s = member.snapshot();
        return new NodeStatus(n.name(), n.safeUrl(), n.role().name().toLowerCase(Locale.ROOT), member.weight(),
                member.draining(), member.healthy(), member.available(), probe,
                round(member.probeLatencyNanos() / 1e6),
                new Circuit(breaker.state().name().toLowerCase(Locale.ROOT), wall(breaker.since()),
                        breaker.consecutiveFailures(), breaker.lastError()),
                connections(s), roles(member), member.stats().requests(), round(member.stats().latencyMillis()), round(member.stats().throughput()),
                round(member.stats().errorRate()));
    }

    private static NodeConnections connections(PoolSnapshot s) {
        return new NodeConnections(s.total(), s.inUse(), s.idle(), s.connecting(), s.waiting(), s.target(), s.max());
    }

    private static java.util.Map<String, NodeConnections> roles(Member<?> member) {
        java.util.Map<String, NodeConnections> roles = new java.util.TreeMap<>();
        member.roleEngines().forEach((role, engine) -> roles.put(role, connections(engine.snapshot())));
        return roles;
    }

    private static Instant wall(long nanos) {
        return Instant.now().minusNanos(System.nanoTime() - nanos);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
