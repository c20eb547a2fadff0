package io.poolgate.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.poolgate.pool.PoolEvents;
import io.poolgate.pool.PoolSnapshot;
import io.poolgate.topology.Breaker;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.ClusterObserver;
import io.poolgate.topology.Member;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Every pool's meters, built once when the pool is (never per request), tagged {@code pool} and
 * {@code kind} ({@code node} for node meters). Gauges and counters read the pool's own counters
 * at scrape time; only the acquire-wait histogram is fed on the hot path.
 */
@Singleton
final class PoolMeters implements ClusterObserver {

    /** Acquire waits from 0.1 ms to 10 s. */
    private static final Duration[] ACQUIRE_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    private final MeterRegistry registry;

    PoolMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public PoolEvents observe(Cluster<?> pool) {
        Tags tags = Tags.of("pool", pool.name(), "kind", pool.kind().name().toLowerCase(Locale.ROOT));

        connections(pool, tags, "total", PoolSnapshot::total);
        connections(pool, tags, "in_use", PoolSnapshot::inUse);
        connections(pool, tags, "idle", PoolSnapshot::idle);
        connections(pool, tags, "connecting", PoolSnapshot::connecting);
        gauge("poolgate.pool.target.size", "connections the pool keeps warm", pool, tags, PoolSnapshot::target);
        gauge("poolgate.pool.min.size", "configured minimum size", pool, tags, PoolSnapshot::min);
        gauge("poolgate.pool.max.size", "configured maximum size", pool, tags, PoolSnapshot::max);
        gauge("poolgate.pool.waiters", "requests waiting for a connection", pool, tags, PoolSnapshot::waiting);
        gauge("poolgate.pool.utilization", "in-use / max", pool, tags, PoolSnapshot::utilization);
        gauge("poolgate.pool.reuse.ratio", "share of acquisitions served by a connection lent before", pool, tags,
                PoolSnapshot::reuseRatio);
        gauge("poolgate.pool.leases", "session leases pinning a connection", pool, tags, PoolSnapshot::pinned);

        operation(pool, tags, "acquire", "success", c -> c.acquired());
        operation(pool, tags, "acquire", "timeout", c -> c.timeouts());
        operation(pool, tags, "acquire", "rejected", c -> c.rejected());
        operation(pool, tags, "acquire", "error", c -> c.acquireErrors());
        operation(pool, tags, "create", "success", c -> c.created());
        operation(pool, tags, "create", "error", c -> c.createFailures());
        operation(pool, tags, "release", "success", c -> c.releasedOk());
        operation(pool, tags, "release", "error", c -> c.releasedBroken());
        operation(pool, tags, "destroy", "success", c -> c.destroyed());
        FunctionCounter.builder("poolgate.leaks", pool, p -> p.snapshot().counters().leaks())
                .description("leases held past the leak threshold").tags(tags).register(registry);

        for (Member<?> node : pool.members()) {
            node(node, tags.and("node", node.name()));
        }

        Timer acquire = Timer.builder("poolgate.pool.acquire").description("time a request waited for a connection")
                .tags(tags).serviceLevelObjectives(ACQUIRE_BUCKETS).register(registry);
        return new PoolEvents() {
            @Override
            public void acquired(long waitedNanos) {
                acquire.record(waitedNanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    private void node(Member<?> node, Tags tags) {
        Gauge.builder("poolgate.node.healthy", node, n -> n.healthy() ? 1 : 0)
                .description("1 when the node works: a probe answered and its circuit is closed").tags(tags)
                .register(registry);
        Gauge.builder("poolgate.node.circuit.state", node, n -> n.breaker().state().code())
                .description("the node's circuit: 0 closed, 1 half open, 2 open").tags(tags).register(registry);
        Gauge.builder("poolgate.node.draining", node, n -> n.draining() ? 1 : 0)
                .description("1 while the operator has the node drained").tags(tags).register(registry);
        nodeConnections(node, tags, "total", PoolSnapshot::total);
        nodeConnections(node, tags, "in_use", PoolSnapshot::inUse);
        nodeConnections(node, tags, "idle", PoolSnapshot::idle);
        nodeConnections(node, tags, "connecting", PoolSnapshot::connecting);
        for (Breaker.State from : Breaker.State.values()) {
            for (Breaker.State to : Breaker.State.values()) {
                if (from.canMoveTo(to)) {
                    FunctionCounter.builder("poolgate.breaker.transitions", node, n -> n.transitions(from, to))
                            .description("circuit breaker transitions").tags(tags.and("from", id(from), "to", id(to)))
                            .register(registry);
                }
            }
        }
    }

    private static String id(Breaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private void nodeConnections(Member<?> node, Tags tags, String state, ToDoubleFunction<PoolSnapshot> value) {
        Gauge.builder("poolgate.node.connections", node, n -> value.applyAsDouble(n.snapshot()))
                .description("a node's connections by state").tags(tags.and("state", state)).register(registry);
    }

    private void connections(Cluster<?> pool, Tags tags, String state, ToDoubleFunction<PoolSnapshot> value) {
        gauge("poolgate.pool.connections", "connections by state", pool, tags.and("state", state), value);
    }

    private void gauge(String name, String description, Cluster<?> pool, Tags tags, ToDoubleFunction<PoolSnapshot> value) {
        Gauge.builder(name, pool, p -> value.applyAsDouble(p.snapshot())).description(description).tags(tags)
                .register(registry);
    }

    private void operation(Cluster<?> pool, Tags tags, String operation, String result,
            ToDoubleFunction<PoolSnapshot.Counters> value) {
        FunctionCounter.builder("poolgate.pool.operations", pool, p -> value.applyAsDouble(p.snapshot().counters()))
                .description("pool operations by outcome").tags(tags.and("operation", operation, "result", result))
                .register(registry);
    }
}
