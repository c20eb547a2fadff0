package io.poolgate.observe;

import io.poolgate.pool.PoolSnapshot;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Member;
import io.poolgate.topology.Pools;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Kubernetes probes with their meanings kept apart:
 * <ul>
 * <li>liveness: the process and its event loop work (housekeeping keeps running); never depends
 * on a backend, because restarting the gateway would not bring a database back;</li>
 * <li>readiness: one check per pool, DOWN when a pool marked {@code required} has no node that
 * serves (probed, circuit closed, not drained), with its sizes and nodes as data;</li>
 * <li>startup: DOWN until every pool's warm-up has finished (whether or not its connects succeeded).</li>
 * </ul>
 * None of them blocks: they read state the pools and probes keep.
 */
@Singleton
final class HealthChecks {

    private final Pools pools;
    private final HealthRegistry readiness;

    HealthChecks(Pools pools, @Readiness HealthRegistry readiness) {
        this.pools = pools;
        this.readiness = readiness;
    }

    /** After the pools exist (they start at the default priority). */
    void register(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        for (Cluster<?> entry : pools.all()) {
            boolean required = pools.config().pools().get(entry.name()).required();
            readiness.register("pool " + entry.name(), () -> poolReadiness(entry, required));
        }
    }

    static HealthCheckResponse poolReadiness(Cluster<?> entry, boolean required) {
        PoolSnapshot s = entry.snapshot();
        long healthy = entry.servingNodes();
        var response = HealthCheckResponse.named("pool " + entry.name())
                .status(healthy > 0 || !required)
                .withData("kind", entry.kind().name().toLowerCase())
                .withData("required", required)
                .withData("size", s.total())
                .withData("used", s.inUse())
                .withData("free", s.idle())
                .withData("min", s.min())
                .withData("max", s.max())
                .withData("healthyNodes", healthy);
        for (Member<?> node : entry.members()) {
            response.withData("node " + node.name(), state(node));
        }
        return response.build();
    }

    /** "up", "unknown" (not probed yet), "drained", or "down: " and why (circuit state, last error). */
    private static String state(Member<?> node) {
        if (node.draining()) {
            return "drained";
        }
        if (node.healthy()) {
            return "up";
        }
        if (!node.probed() && node.breaker().closed()) {
            return "unknown";
        }
        String error = node.breaker().lastError().isEmpty() ? node.lastProbeError() : node.breaker().lastError();
        return "down: circuit " + node.breaker().state().name().toLowerCase() + (error.isEmpty() ? "" : ", " + error);
    }

    /** Liveness: housekeeping ran recently, so the event loops are not stuck. */
    @Liveness
    @Singleton
    static final class EventLoopsAlive implements HealthCheck {

        private final Pools pools;

        EventLoopsAlive(Pools pools) {
            this.pools = pools;
        }

        @Override
        public HealthCheckResponse call() {
            Duration since = pools.sinceHousekeeping();
            Duration limit = pools.config().housekeepingInterval().multipliedBy(10).plusSeconds(10);
            return HealthCheckResponse.named("event loops").status(since.compareTo(limit) < 0)
                    .withData("sinceHousekeepingMs", since.toMillis()).build();
        }
    }

    /** Startup: every pool has finished warming up. */
    @Startup
    @Singleton
    static final class WarmedUp implements HealthCheck {

        private final Pools pools;

        WarmedUp(Pools pools) {
            this.pools = pools;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("pools warmed up").status(pools.warmedUp().isDone()).build();
        }
    }
}
