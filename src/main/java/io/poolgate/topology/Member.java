package io.poolgate.topology;

import io.poolgate.pool.Pool;
import io.poolgate.pool.PoolEvents;
import io.poolgate.pool.PoolSnapshot;
import org.jboss.logging.Logger;

/**
 * One node of a pool: its engine (a single-node {@link Pool}), its circuit {@link Breaker}, what
 * requests and probes see of it, and what the operator set (weight, drain). The engine takes work
 * only while the node is neither drained nor open; {@link #refresh} keeps the two in step.
 */
public final class Member<C> {

    private static final Logger LOG = Logger.getLogger(Member.class);

    private final String pool;
    private final int index;
    private final Node node;
    private final Breaker breaker;
    private final NodeStats stats = new NodeStats();
    private final java.util.concurrent.atomic.AtomicLongArray transitions = new java.util.concurrent.atomic.AtomicLongArray(9);
    private Pool<C> engine;
    private java.util.function.Function<RoleLogin, Pool<C>> roleEngine;
    private final java.util.Map<String, Pool<C>> roleEngines = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile int weight;
    private volatile boolean draining;
    private volatile boolean probedOk;
    private volatile long probeLatencyNanos;
    private volatile String lastProbeError = "";
    // guarded by this: what the engine was last told
    private String applied;

    Member(String pool, int index, Node node, Breaker.Settings breaker, io.poolgate.pool.Ticker ticker) {
        this.pool = pool;
        this.index = index;
        this.node = node;
        this.weight = node.weight();
        this.breaker = new Breaker(breaker, ticker, this::moved);
    }

    /** One log line per transition, counted; then the engine follows the breaker. */
    private void moved(Breaker.State from, Breaker.State to, String why) {
        transitions.incrementAndGet(from.ordinal() * 3 + to.ordinal());
        String line = String.format("pool '%s' node '%s' circuit %s -> %s: %s", pool, node.name(), from, to, why);
        if (to == Breaker.State.OPEN) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
        refresh();
    }

    /** Breaker transitions from {@code from} to {@code to} since start. */
    public long transitions(Breaker.State from, Breaker.State to) {
        return transitions.get(from.ordinal() * 3 + to.ordinal());
    }

    /** Set once, right after construction (the engines' events need the member). */
    void attach(Pool<C> engine, java.util.function.Function<RoleLogin, Pool<C>> roleEngine) {
        this.engine = engine;
        this.roleEngine = roleEngine;
    }

    /**
     * The engine of {@code login}'s connections to this node, opened on first use (null: the pool's
     * own login); it takes work, or not, as the node's other engines do.
     */
    public Pool<C> engine(RoleLogin login) {
        if (login == null) {
            return engine;
        }
        Pool<C> existing = roleEngines.get(login.role());
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            return roleEngines.computeIfAbsent(login.role(), role -> {
                Pool<C> created = roleEngine.apply(login);
                if (applied != null) {
                    created.drain(applied);
                }
                return created;
            });
        }
    }

    /** Every engine of the node: the pool's own login's first, then the roles' (by role). */
    public java.util.List<Pool<C>> engines() {
        java.util.List<Pool<C>> all = new java.util.ArrayList<>(1 + roleEngines.size());
        all.add(engine);
        all.addAll(roleEngines.values());
        return all;
    }

    /** The roles with an engine on this node, and that engine. */
    public java.util.Map<String, Pool<C>> roleEngines() {
        return java.util.Collections.unmodifiableMap(roleEngines);
    }

    /** The node's figures: every engine's (the pool's login and the roles') added up. */
    public PoolSnapshot snapshot() {
        if (roleEngines.isEmpty()) {
            return engine.snapshot();
        }
        return PoolSnapshot.sum(pool, engines().stream().map(Pool::snapshot).toList());
    }

    /** What the engine reports goes to the breaker and the statistics. */
    PoolEvents events(PoolEvents poolLevel) {
        return new PoolEvents() {
            @Override
            public void acquired(long waitedNanos) {
                stats.recordWait(waitedNanos);
                poolLevel.acquired(waitedNanos);
            }

            @Override
            public void failed(String what) {
                breaker.failed(what);
            }

            @Override
            public void completed(long nanos, boolean failed) {
                stats.record(nanos, failed);
            }
        };
    }

    public String pool() {
        return pool;
    }

    public int index() {
        return index;
    }

    public Node node() {
        return node;
    }

    public String name() {
        return node.name();
    }

    public Pool<C> engine() {
        return engine;
    }

    public Breaker breaker() {
        return breaker;
    }

    public NodeStats stats() {
        return stats;
    }

    public int weight() {
        return weight;
    }

    public void weight(int weight) {
        this.weight = weight;
    }

    public boolean draining() {
        return draining;
    }

    /** Drains the node (no new work, idle connections close now, lent ones on return) or undrains it. */
    public void drain(boolean drain) {
        if (draining != drain) {
            draining = drain;
            LOG.infof("pool '%s' node '%s' %s", pool, node.name(), drain
                    ? "drained by the operator: no new work, connections close as they come back"
                    : "undrained by the operator: takes work again");
        }
        refresh();
    }

    /** Whether the node takes new work now: not drained, circuit closed. */
    public boolean available() {
        return !draining && breaker.closed();
    }

    /** Whether the node works: a probe has answered, and its circuit is closed. */
    public boolean healthy() {
        return probedOk && breaker.closed();
    }

    /** Whether any probe has answered yet. */
    public boolean probed() {
        return probedOk || !lastProbeError.isEmpty();
    }

    public long probeLatencyNanos() {
        return probeLatencyNanos;
    }

    /** Why the last probe failed; empty after a success. */
    public String lastProbeError() {
        return lastProbeError;
    }

    void probeSucceeded(long latencyNanos) {
        probeLatencyNanos = latencyNanos;
        lastProbeError = "";
        if (!probedOk) {
            LOG.infof("pool '%s' node '%s' answers (probe took %.1fms)", pool, node.name(), latencyNanos / 1e6);
        }
        probedOk = true;
        breaker.succeeded();
    }

    void probeFailed(String error) {
        lastProbeError = error;
        breaker.failed("probe: " + error);
    }

    /** The probe answered, but slower than max-latency: the node works, and the slowness counts as a failure. */
    void probeSlow(long latencyNanos, String error) {
        probeLatencyNanos = latencyNanos;
        lastProbeError = error;
        probedOk = true;
        breaker.failed("probe: " + error);
    }

    /** Tells the engine whether it takes work, if that changed. */
    synchronized void refresh() {
        String why = draining ? "node '" + node.name() + "' is drained by the operator"
                : breaker.closed() ? null : "node '" + node.name() + "' circuit is " + breaker.state();
        if (engine == null || java.util.Objects.equals(why, applied)) {
            return;
        }
        applied = why;
        for (Pool<C> each : engines()) {
            if (why == null) {
                each.undrain();
            } else {
                each.drain(why);
            }
        }
    }

    /** The node as a balancing strategy sees it, for a request served by {@code engine}. */
    NodeView view(Pool<C> engine) {
        PoolSnapshot s = engine.snapshot();
        return new NodeView(index, node.name(), weight, s.inUse(), s.idle(), s.max(), stats.latencyMillis(),
                stats.throughput(), stats.errorRate());
    }

    /** Why the node cannot take a request now, for a 503's detail. */
    String unavailability() {
        if (draining) {
            return "drained";
        }
        String error = breaker.lastError();
        return "circuit " + breaker.state().name().toLowerCase(java.util.Locale.ROOT)
                + (error.isEmpty() ? "" : " (" + error + ")");
    }

    @Override
    public String toString() {
        return "node '" + node.name() + "' of pool '" + pool + "'";
    }
}
