package io.poolgate.topology;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.BackendTimeouts;
import io.poolgate.pool.FakeConnector;
import io.poolgate.pool.FakeConnector.Conn;
import io.poolgate.pool.ManualClock;
import io.poolgate.pool.Pool;
import io.poolgate.pool.PoolEvents;
import io.poolgate.pool.PoolSettings;
import io.poolgate.pool.ReusePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Clusters of fake connections for tests outside this package (the constructors are package-private). */
public final class TestClusters {

    private TestClusters() {
    }

    /** A round-robin Redis cluster {@code cache} of {@code nodes}, each engine {@code min}..{@code max}, warming up. */
    public static Cluster<Conn> of(FakeConnector connector, ManualClock clock, int min, int max, Node... nodes) {
        return of("cache", Kind.REDIS, connector, clock, min, max, nodes);
    }

    /** A round-robin cluster of {@code nodes}, each engine {@code min}..{@code max}, warming up. */
    public static Cluster<Conn> of(String name, Kind kind, FakeConnector connector, ManualClock clock, int min, int max,
            Node... nodes) {
        PoolSettings settings = new PoolSettings(name, nodes[0], new PoolSettings.Sizes(min, max, min),
                Duration.ofSeconds(1), 10,
                new ReusePolicy(Duration.ofSeconds(60), Duration.ZERO, 0, Duration.ofSeconds(30)), Duration.ZERO,
                BackendTimeouts.DEFAULT);
        Breaker.Settings breaker = new Breaker.Settings(3, 2, Duration.ofSeconds(5), Duration.ofSeconds(60));
        List<Member<Conn>> members = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            Member<Conn> member = new Member<>(name, i, nodes[i], breaker, clock);
            PoolEvents events = member.events(PoolEvents.NONE);
            Node node = nodes[i];
            member.attach(new Pool<>(settings.withNode(node), connector, clock, clock, events),
                    login -> new Pool<>(settings.withNode(node.as(new Node.Login(login.role(), login.password())))
                            .withSizes(0, login.maxConnections(), 0), connector, clock, clock, events));
            members.add(member);
        }
        Cluster<Conn> cluster = new Cluster<>(name, kind, members,
                new Balancer(nodes.length, Strategy.ROUND_ROBIN, PerformanceWeights.DEFAULT), Duration.ofSeconds(1),
                clock);
        cluster.warmUp();
        return cluster;
    }
}
