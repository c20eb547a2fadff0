package io.poolgate.pool;

import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.NodeConfig;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.topology.Node;
import io.poolgate.topology.NodeHealth;
import io.poolgate.topology.NodeProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Every configured pool, by name: built and warmed up at start-up, kept by periodic housekeeping,
 * drained at shutdown.
 */
@Singleton
public class Pools {

    private static final Logger LOG = Logger.getLogger(Pools.class);

    /** A configured pool: its kind, the engine, and what the probes know of its nodes. */
    public record Entry(String name, Kind kind, Pool<?> pool, List<NodeHealth> nodes) {

        /** Nodes whose last probe answered. */
        public long healthyNodes() {
            return nodes.stream().filter(NodeHealth::healthy).count();
        }
    }

    private final PoolgateConfig config;
    private final Vertx vertx;
    private final Map<Kind, ConnectorFactory> factories = new EnumMap<>(Kind.class);
    private final List<PoolObserver> observers;
    private final Map<String, Entry> pools = new LinkedHashMap<>();
    private final List<NodeProbe<?>> probes = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();
    private final CompletableFuture<Void> warm = new CompletableFuture<>();
    private volatile long lastHousekeeping = System.nanoTime();

    Pools(PoolgateConfig config, Vertx vertx, Instance<ConnectorFactory> factories,
            Instance<PoolObserver> observers) {
        this.config = config;
        this.vertx = vertx;
        factories.forEach(f -> this.factories.put(f.kind(), f));
        this.observers = observers.stream().toList();
    }

    void start(@Observes StartupEvent event) {
        ConfigValidator.validate(config);
        Scheduler scheduler = new VertxScheduler(vertx);
        config.pools().forEach((name, poolConfig) -> pools.put(name, build(name, poolConfig, scheduler)));
        if (pools.isEmpty()) {
            LOG.warn("no pools configured (poolgate.pools is empty): every API call will answer 404");
        }
        CompletableFuture<?>[] warmUps = pools.values().stream()
                .map(e -> e.pool().warmUp().toCompletableFuture()).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(warmUps).whenComplete((ok, error) -> {
            pools.values().forEach(e -> LOG.infof("pool '%s' (%s) warmed up: %s", e.name(),
                    e.kind().name().toLowerCase(), e.pool().snapshot().describe()));
            warm.complete(null);
        });
        timers.add(vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> {
            lastHousekeeping = System.nanoTime();
            pools.values().forEach(e -> e.pool().maintain());
        }));
    }

    private Entry build(String name, PoolConfig poolConfig, Scheduler scheduler) {
        Connector<?> connector = factories.get(poolConfig.kind()).create(name, poolConfig);
        PoolSettings settings = settings(name, poolConfig);
        List<NodeHealth> health = settings.nodes().stream().map(node -> new NodeHealth(name, node)).toList();
        ListenerRelay relay = new ListenerRelay();
        Entry entry = new Entry(name, poolConfig.kind(), engine(settings, connector, scheduler, relay), health);
        relay.listeners = observers.stream().map(o -> o.observe(entry)).toArray(AcquireListener[]::new);
        List<NodeProbe<?>> poolProbes = health.stream()
                .<NodeProbe<?>>map(h -> probe(connector, scheduler, poolConfig, h)).toList();
        probes.addAll(poolProbes);
        poolProbes.forEach(NodeProbe::probe);
        timers.add(vertx.setPeriodic(poolConfig.health().interval().toMillis(),
                id -> poolProbes.forEach(NodeProbe::probe)));
        return entry;
    }

    private static <C> NodeProbe<C> probe(Connector<C> connector, Scheduler scheduler, PoolConfig config,
            NodeHealth health) {
        return new NodeProbe<>(connector, scheduler, Ticker.SYSTEM, config.health().timeout(), health);
    }

    /** Hands each acquisition to the observers known once the pool exists. */
    private static final class ListenerRelay implements AcquireListener {
        volatile AcquireListener[] listeners = new AcquireListener[0];

        @Override
        public void acquired(long waitedNanos) {
            for (AcquireListener listener : listeners) {
                listener.acquired(waitedNanos);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        probes.forEach(NodeProbe::close);
        CompletableFuture<?>[] closing = pools.values().stream()
                .map(e -> e.pool().close(config.drainTimeout()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            // the drain deadline closes lent connections; the margin covers the close itself
            CompletableFuture.allOf(closing).get(config.drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            LOG.infof("closed %d pool(s)", pools.size());
        } catch (TimeoutException e) {
            LOG.warnf("pools still closing after the drain timeout (%s)", config.drainTimeout());
        } catch (Exception e) {
            LOG.warn("closing pools failed", e);
        }
    }

    /** Completes once every pool's warm-up has finished, whether or not its connects succeeded. */
    public CompletableFuture<Void> warmedUp() {
        return warm;
    }

    public Collection<Entry> all() {
        return pools.values();
    }

    /** The pool named {@code name}; 404-style failure if there is none. */
    public Entry get(String name) {
        Entry entry = pools.get(name);
        if (entry == null) {
            throw UnknownPoolException.notConfigured(name, pools.keySet());
        }
        return entry;
    }

    /** The pool named {@code name}, which must be of {@code kind}. */
    @SuppressWarnings("unchecked")
    public <C> Pool<C> get(String name, Kind kind) {
        Entry entry = get(name);
        if (entry.kind() != kind) {
            throw UnknownPoolException.wrongKind(name, entry.kind().name().toLowerCase(), kind.name().toLowerCase());
        }
        return (Pool<C>) entry.pool();
    }

    private static <C> Pool<C> engine(PoolSettings settings, Connector<C> connector, Scheduler scheduler,
            AcquireListener listener) {
        return new Pool<>(settings, connector, Ticker.SYSTEM, scheduler, listener);
    }

    /** How long ago housekeeping last ran on the event loop (liveness: a stuck loop stops it). */
    public Duration sinceHousekeeping() {
        return Duration.ofNanos(System.nanoTime() - lastHousekeeping);
    }

    public PoolgateConfig config() {
        return config;
    }

    static PoolSettings settings(String name, PoolConfig pool) {
        List<Node> nodes = pool.nodes().stream().map(Pools::node).toList();
        var size = pool.size();
        var reuse = pool.reuse();
        return new PoolSettings(name, nodes,
                new PoolSettings.Sizes(size.min(), size.max(), size.initial().orElse(size.min())),
                pool.acquireTimeout(), pool.maxWaiters(),
                new ReusePolicy(reuse.idleTimeout(), reuse.maxLifetime(), reuse.maxUses(), reuse.validateAfterIdle()),
                pool.leakThreshold());
    }

    private static Node node(NodeConfig node) {
        Node.Role role = node.role() == PoolgateConfig.NodeRole.REPLICA ? Node.Role.REPLICA : Node.Role.PRIMARY;
        return new Node(node.name(), node.url(), role, node.weight());
    }
}
