package io.poolgate.topology;

import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.NodeConfig;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.pool.BackendTimeouts;
import io.poolgate.pool.Connector;
import io.poolgate.pool.Pool;
import io.poolgate.pool.PoolEvents;
import io.poolgate.pool.PoolSettings;
import io.poolgate.pool.ReusePolicy;
import io.poolgate.pool.Scheduler;
import io.poolgate.pool.Ticker;
import io.poolgate.pool.VertxScheduler;
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
 * Every configured pool, by name, as a {@link Cluster} of per-node engines: built and warmed up at
 * start-up, probed by the {@link HealthChecker}, kept by periodic housekeeping, drained at shutdown.
 */
@Singleton
public class Pools {

    private static final Logger LOG = Logger.getLogger(Pools.class);

    private final PoolgateConfig config;
    private final Vertx vertx;
    private final HealthChecker health;
    private final Map<Kind, ConnectorFactory> factories = new EnumMap<>(Kind.class);
    private final List<ClusterObserver> observers;
    private final Map<String, Cluster<?>> pools = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private final List<Connector<?>> connectors = new ArrayList<>();
    private final CompletableFuture<Void> warm = new CompletableFuture<>();
    private volatile long lastHousekeeping = System.nanoTime();

    Pools(PoolgateConfig config, Vertx vertx, HealthChecker health, Instance<ConnectorFactory> factories,
            Instance<ClusterObserver> observers) {
        this.config = config;
        this.vertx = vertx;
        this.health = health;
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
                .map(c -> c.warmUp().toCompletableFuture()).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(warmUps).whenComplete((ok, error) -> {
            pools.values().forEach(c -> LOG.infof("pool '%s' (%s) warmed up: %s", c.name(),
                    c.kind().name().toLowerCase(), c.snapshot().describe()));
            warm.complete(null);
        });
        timers.add(vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> {
            long now = System.nanoTime();
            lastHousekeeping = now;
            pools.values().forEach(c -> c.maintain(now));
        }));
    }

    private <C> Cluster<C> build(String name, PoolConfig poolConfig, Scheduler scheduler) {
        @SuppressWarnings("unchecked")
        Connector<C> connector = (Connector<C>) factories.get(poolConfig.kind()).create(name, poolConfig);
        connectors.add(connector);
        PoolSettings settings = settings(name, poolConfig);
        var h = poolConfig.health();
        Breaker.Settings breaker = new Breaker.Settings(h.failureThreshold(), h.recoveryThreshold(), h.openWait(),
                h.maxOpenWait());
        Relay relay = new Relay();
        List<Member<C>> members = new ArrayList<>();
        List<NodeConfig> nodes = poolConfig.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Member<C> member = new Member<>(name, i, node(nodes.get(i)), breaker, Ticker.SYSTEM);
            PoolEvents events = member.events(relay);
            member.attach(new Pool<>(settings.withNode(member.node()), connector, Ticker.SYSTEM, scheduler, events),
                    // a role's engine: its own login, opened on demand, up to its max, idle ones closing
                    login -> new Pool<>(settings.withNode(member.node().as(new Node.Login(login.role(),
                            login.password()))).withSizes(0, login.maxConnections(), 0), connector, Ticker.SYSTEM,
                            scheduler, events));
            members.add(member);
        }
        var balancing = poolConfig.balancer();
        Balancer balancer = new Balancer(members.size(), Strategy.of(balancing.strategy()),
                ConfigValidator.performanceWeights(balancing.performance()));
        Cluster<C> cluster = new Cluster<>(name, poolConfig.kind(), members, balancer, poolConfig.acquireTimeout(),
                Ticker.SYSTEM);
        relay.listeners = observers.stream().map(o -> o.observe(cluster)).toArray(PoolEvents[]::new);
        health.watch(cluster, connector, scheduler, Ticker.SYSTEM, h);
        return cluster;
    }

    /** Hands each acquisition to the observers known once the pool exists. */
    private static final class Relay implements PoolEvents {
        volatile PoolEvents[] listeners = new PoolEvents[0];

        @Override
        public void acquired(long waitedNanos) {
            for (PoolEvents listener : listeners) {
                listener.acquired(waitedNanos);
            }
        }
    }

    /**
     * Stops the timers and probes, drains every pool (lent connections get the drain timeout), waits
     * until every socket is closed, then releases the connectors: all before Vert.x shuts its event
     * loops down, so no close is left to run on a loop that is gone.
     */
    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        CompletableFuture<Void> probes = health.stop();
        CompletableFuture<?>[] closing = pools.values().stream()
                .map(c -> c.close(config.drainTimeout()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            // the drain deadline closes lent connections; the margin covers the close itself
            CompletableFuture.allOf(CompletableFuture.allOf(closing), probes)
                    .get(config.drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(connectors.stream().map(c -> c.shutdown().toCompletableFuture())
                    .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            LOG.infof("closed %d pool(s)", pools.size());
        } catch (TimeoutException e) {
            LOG.warnf("pools still closing after the drain timeout (%s)", config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("closing pools failed", e.getCause());
        }
    }

    /** Completes once every pool's warm-up has finished, whether or not its connects succeeded. */
    public CompletableFuture<Void> warmedUp() {
        return warm;
    }

    public Collection<Cluster<?>> all() {
        return pools.values();
    }

    /** The pool named {@code name}; 404-style failure if there is none. */
    public Cluster<?> get(String name) {
        Cluster<?> cluster = pools.get(name);
        if (cluster == null) {
            throw UnknownPoolException.notConfigured(name, pools.keySet());
        }
        return cluster;
    }

    /** The pool named {@code name}, which must be of {@code kind}. */
    @SuppressWarnings("unchecked")
    public <C> Cluster<C> get(String name, Kind kind) {
        Cluster<?> cluster = get(name);
        if (cluster.kind() != kind) {
            throw UnknownPoolException.wrongKind(name, cluster.kind().name().toLowerCase(), kind.name().toLowerCase());
        }
        return (Cluster<C>) cluster;
    }

    /** How long ago housekeeping last ran on the event loop (liveness: a stuck loop stops it). */
    public Duration sinceHousekeeping() {
        return Duration.ofNanos(System.nanoTime() - lastHousekeeping);
    }

    public PoolgateConfig config() {
        return config;
    }

    /** The engine settings of every node of the pool (sizes are per node). */
    static PoolSettings settings(String name, PoolConfig pool) {
        var size = pool.size();
        var reuse = pool.reuse();
        return new PoolSettings(name, node(pool.nodes().get(0)),
                new PoolSettings.Sizes(size.min(), size.max(), size.initial().orElse(size.min())),
                pool.acquireTimeout(), pool.maxWaiters(),
                new ReusePolicy(reuse.idleTimeout(), reuse.maxLifetime(), reuse.maxUses(), reuse.validateAfterIdle()),
                pool.leakThreshold(),
                new BackendTimeouts(pool.connectTimeout(), pool.validationTimeout(), pool.resetTimeout()));
    }

    private static Node node(NodeConfig node) {
        Node.Role role = node.role() == PoolgateConfig.NodeRole.REPLICA ? Node.Role.REPLICA : Node.Role.PRIMARY;
        return new Node(node.name(), node.url(), role, node.weight());
    }
}
