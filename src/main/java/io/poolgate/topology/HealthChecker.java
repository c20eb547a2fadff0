package io.poolgate.topology;

import io.poolgate.config.PoolgateConfig.HealthConfig;
import io.poolgate.pool.Connector;
import io.poolgate.pool.Scheduler;
import io.poolgate.pool.Ticker;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Probes every node of every pool and feeds the results to the node's breaker: a node with a
 * closed circuit is probed every {@code health.interval}; an open one gets its first trial probe
 * when its open wait is over, and a half-open one is probed on every tick until it has recovered
 * or failed again. Ticks come every {@code min(interval, open-wait)}. Runs on the event loop and
 * never blocks: a probe is a request on a connection of its own, bounded by {@code health.timeout}.
 */
@Singleton
public class HealthChecker {

    private final Vertx vertx;
    private final List<NodeProbe<?>> probes = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();

    HealthChecker(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts probing the nodes of {@code cluster}, at once and then on every tick. */
    <C> void watch(Cluster<C> cluster, Connector<C> connector, Scheduler scheduler, Ticker ticker, HealthConfig config) {
        List<NodeProbe<C>> watched = cluster.members().stream()
                .map(member -> new NodeProbe<>(connector, scheduler, ticker, config.timeout(), config.maxLatency(), member))
                .toList();
        synchronized (this) {
            probes.addAll(watched);
        }
        watched.forEach(NodeProbe::probe);
        Duration tick = config.interval().compareTo(config.openWait()) < 0 ? config.interval() : config.openWait();
        long interval = config.interval().toNanos();
        long id = vertx.setPeriodic(Math.max(1, tick.toMillis()), ignored -> {
            long now = ticker.nanoTime();
            for (NodeProbe<C> probe : watched) {
                tick(probe, now, interval);
            }
        });
        synchronized (this) {
            timers.add(id);
        }
    }

    static void tick(NodeProbe<?> probe, long now, long intervalNanos) {
        Breaker breaker = probe.member().breaker();
        if (!breaker.closed()) {
            if (breaker.trialDue()) {
                probe.probe();
            }
        } else if (probe.lastStarted() == Long.MIN_VALUE || now - probe.lastStarted() >= intervalNanos - intervalNanos / 10) {
            probe.probe();
        }
    }

    /** The probe of {@code member}, whose connection the autoscaler reads the server's limits through. */
    public synchronized NodeProbe<?> probe(Member<?> member) {
        for (NodeProbe<?> probe : probes) {
            if (probe.member() == member) {
                return probe;
            }
        }
        return null;
    }

    /** Stops probing and closes the probes' connections (before the pools close); completes when closed. */
    synchronized CompletableFuture<Void> stop() {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        return CompletableFuture.allOf(probes.stream().map(p -> p.close().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }
}
