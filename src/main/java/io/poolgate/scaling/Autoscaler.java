package io.poolgate.scaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.AutoscalingConfig;
import io.poolgate.pool.PoolSnapshot;
import io.poolgate.pool.ServerLoad;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.HealthChecker;
import io.poolgate.topology.Member;
import io.poolgate.topology.NodeProbe;
import io.poolgate.topology.Pools;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The scaler: every {@code sample-interval}, on the event loop, samples each node's engine of every
 * pool with autoscaling on, asks {@link Scaling#decide} for its target and applies the answer
 * through the engine's own resize (growing opens connections in parallel; shrinking closes idle
 * connections first and never one in use; always within [min, max]). For PostgreSQL it also reads
 * the server's limits through the health probe's connection and never grows a node into the
 * server's headroom. A manual {@code POST /scale} counts as an action: the scaler waits a cooldown.
 */
@Singleton
public class Autoscaler {

    private static final Logger LOG = Logger.getLogger(Autoscaler.class);

    /** A decision as the status API shows it. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record LastDecision(Instant at, String node, int from, int to, String direction, String policy,
            String reason) {
    }

    /**
     * One pool's scaling as the status API shows it.
     *
     * @param target        the size kept warm (the sum over the pool's nodes)
     * @param ceiling       what the servers' headroom allows the pool (summed over its nodes), when known
     * @param heldByCeiling true while that ceiling, not a policy or max, holds growth back
     * @param decisions     the last {@value #HISTORY} decisions applied, oldest first (the status page marks them)
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Status(boolean enabled, int target, LastDecision lastDecision, Integer ceiling,
            boolean heldByCeiling, List<LastDecision> decisions) {
    }

    static final int HISTORY = 20;

    private final Pools pools;
    private final HealthChecker health;
    private final PoolgateConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Map<String, List<NodeScaler>> scalers = new HashMap<>();
    private final Map<String, ArrayDeque<LastDecision>> histories = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Long> timers = new ArrayList<>();

    Autoscaler(Pools pools, HealthChecker health, PoolgateConfig config, Vertx vertx, MeterRegistry registry) {
        this.pools = pools;
        this.health = health;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    /** After the pools exist (they start at the default priority). */
    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
        for (Cluster<?> cluster : pools.all()) {
            AutoscalingConfig scaling = config.pools().get(cluster.name()).autoscaling();
            if (!scaling.enabled()) {
                continue;
            }
            List<Policy> policies = ConfigValidator.policies(scaling);
            Meters meters = new Meters(cluster);
            List<NodeScaler> nodes = cluster.members().stream()
                    .map(member -> new NodeScaler(cluster, member, policies, scaling, meters)).toList();
            nodes.forEach(node -> node.member.engine().holdToTarget(true));
            scalers.put(cluster.name(), nodes);
            timers.add(vertx.setPeriodic(scaling.sampleInterval().toMillis(), id -> nodes.forEach(NodeScaler::tick)));
            LOG.infof("pool '%s' autoscaling: every %s, cooldown %s, policies %s", cluster.name(),
                    scaling.sampleInterval(), scaling.cooldown(), policies.stream().map(Autoscaler::describe).toList());
        }
    }

    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
    }

    /** An operator set the pool's size by hand: that wins over the scaler for one cooldown. */
    public void manual(String pool) {
        List<NodeScaler> nodes = scalers.get(pool);
        if (nodes != null) {
            long now = System.nanoTime();
            nodes.forEach(node -> node.lastAction = now);
        }
    }

    /** The pool's scaling, for the status API. */
    public Status status(Cluster<?> cluster) {
        List<NodeScaler> nodes = scalers.get(cluster.name());
        int target = cluster.snapshot().target();
        if (nodes == null) {
            return new Status(false, target, null, null, false, List.of());
        }
        Integer ceiling = null;
        boolean held = false;
        for (NodeScaler node : nodes) {
            if (node.ceiling != Integer.MAX_VALUE) {
                ceiling = (ceiling == null ? 0 : ceiling) + node.ceiling;
            }
            held |= node.atCeiling;
        }
        List<LastDecision> decisions;
        synchronized (history(cluster.name())) {
            decisions = List.copyOf(history(cluster.name()));
        }
        LastDecision last = decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
        return new Status(true, target, last, ceiling, held, decisions);
    }

    private ArrayDeque<LastDecision> history(String pool) {
        return histories.computeIfAbsent(pool, name -> new ArrayDeque<>());
    }

    private static String describe(Policy p) {
        return p.metric().id() + " (up > " + p.metric().format(p.upThreshold()) + " +" + p.upIncrement() + ", down < "
                + p.metric().format(p.downThreshold()) + " -" + p.downIncrement() + ", sustain " + p.sustain() + ")";
    }

    /** The pool's scaling meters, built once. */
    private final class Meters {
        final Map<String, Counter> events = new HashMap<>();
        final Cluster<?> cluster;

        Meters(Cluster<?> cluster) {
            this.cluster = cluster;
            for (Decision.Direction direction : List.of(Decision.Direction.UP, Decision.Direction.DOWN)) {
                for (Metric metric : Metric.values()) {
                    events.put(direction.id() + "/" + metric.id(), Counter.builder("poolgate.scaling.events")
                            .description("scaling decisions applied").tags("pool", cluster.name(), "kind",
                                    cluster.kind().name().toLowerCase(java.util.Locale.ROOT), "direction",
                                    direction.id(), "policy", metric.id())
                            .register(registry));
                }
            }
        }

        void atCeiling(Member<?> member, NodeScaler scaler) {
            Gauge.builder("poolgate.scaling.at.ceiling", scaler, s -> s.atCeiling ? 1 : 0)
                    .description("1 while the server's connection headroom, not a policy, holds the node's growth back")
                    .tags("pool", cluster.name(), "kind", cluster.kind().name().toLowerCase(java.util.Locale.ROOT),
                            "node", member.name())
                    .register(registry);
        }
    }

    /** The scaler of one node's engine: its samples, its last action, its server ceiling. */
    private final class NodeScaler {
        final Cluster<?> cluster;
        final Member<?> member;
        final List<Policy> policies;
        final AutoscalingConfig config;
        final Meters meters;
        final ArrayDeque<Sample> window = new ArrayDeque<>();
        final long keepNanos;
        final AtomicBoolean reading = new AtomicBoolean();
        volatile long lastAction = Long.MIN_VALUE;
        long lastAcquired = -1;
        long lastAt;
        volatile int ceiling = Integer.MAX_VALUE;
        volatile boolean atCeiling;

        NodeScaler(Cluster<?> cluster, Member<?> member, List<Policy> policies, AutoscalingConfig config,
                Meters meters) {
            this.cluster = cluster;
            this.member = member;
            this.policies = policies;
            this.config = config;
            this.meters = meters;
            long longest = policies.stream().mapToLong(p -> p.sustain().toNanos()).max().orElse(0);
            this.keepNanos = longest + 2 * config.sampleInterval().toNanos();
            meters.atCeiling(member, this);
        }

        void tick() {
            long now = System.nanoTime();
            PoolSnapshot s = member.engine().snapshot();
            double wait = member.stats().drainWaitP95Millis();
            long acquired = s.counters().acquired();
            double rate = lastAcquired < 0 ? 0 : (acquired - lastAcquired) / ((now - lastAt) / 1e9);
            lastAcquired = acquired;
            lastAt = now;
            window.addLast(new Sample(now, s.total() == 0 ? 0 : (double) s.inUse() / s.total(), s.waiting(), rate, wait));
            while (window.peekFirst().at() < now - keepNanos) {
                window.removeFirst();
            }
            readServer(s.total());
            if (!member.available()) {
                return; // drained or open: nothing to size
            }
            Duration since = lastAction == Long.MIN_VALUE ? Duration.ofDays(1) : Duration.ofNanos(now - lastAction);
            Decision d = Scaling.decide(s.target(), List.copyOf(window), policies,
                    new Scaling.Bounds(s.min(), s.max(), ceiling), since, config.cooldown());
            atCeiling = d.atCeiling();
            if (d.direction() == Decision.Direction.NONE) {
                return;
            }
            int set = member.engine().resize(d.to());
            lastAction = now;
            String node = cluster.members().size() > 1 ? " node '" + member.name() + "'" : "";
            LOG.infof("pool '%s'%s scaled %d -> %d: %s", cluster.name(), node, d.from(), set, d.reason());
            meters.events.get(d.direction().id() + "/" + d.policy().id()).increment();
            ArrayDeque<LastDecision> history = history(cluster.name());
            synchronized (history) {
                history.addLast(new LastDecision(Instant.now(), member.name(), d.from(), set, d.direction().id(),
                        d.policy().id(), d.reason()));
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
        }

        /** The server's headroom for this node's engine: its own connections plus what is still free. */
        void readServer(int own) {
            NodeProbe<?> probe = health.probe(member);
            if (probe == null || !reading.compareAndSet(false, true)) {
                return;
            }
            probe.serverLoad().whenComplete((load, error) -> {
                reading.set(false);
                if (error == null) {
                    ceiling = load.map(l -> ceilingOf(l, own)).orElse(Integer.MAX_VALUE);
                }
            });
        }

        private int ceilingOf(ServerLoad load, int own) {
            int headroom = (int) Math.ceil(load.maxConnections() * config.serverHeadroom());
            int free = load.maxConnections() - load.reserved() - headroom - load.connections();
            return Math.max(0, own + free);
        }
    }
}
