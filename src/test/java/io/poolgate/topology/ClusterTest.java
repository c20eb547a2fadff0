package io.poolgate.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.FakeConnector;
import io.poolgate.pool.FakeConnector.Conn;
import io.poolgate.pool.Lease;
import io.poolgate.pool.ManualClock;
import io.poolgate.pool.Outcome;
import io.poolgate.pool.Owner;
import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.pool.PoolUnavailableException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A pool of several nodes: routing by role, fallback, moving on from a node that cannot serve, breakers. */
class ClusterTest {

    static final Node PRIMARY = new Node("primary", "fake://db-1/app", Node.Role.PRIMARY, 1);
    static final Node REPLICA = new Node("replica-1", "fake://db-2/app", Node.Role.REPLICA, 1);
    static final Node REPLICA_2 = new Node("replica-2", "fake://db-3/app", Node.Role.REPLICA, 1);

    final ManualClock clock = new ManualClock();

    Cluster<Conn> cluster(FakeConnector connector, int min, int max, Node... nodes) {
        Cluster<Conn> cluster = TestClusters.of("main", Kind.POSTGRES, connector, clock, min, max, nodes);
        connector.connectAll();
        return cluster;
    }

    static <T> T now(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "expected the stage to be complete");
        return future.join();
    }

    static PoolUnavailableException failure(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "expected the stage to be complete");
        try {
            future.get();
        } catch (ExecutionException e) {
            return assertInstanceOf(PoolUnavailableException.class, e.getCause());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    static void open(Member<?> member) {
        for (int i = 0; i < 3; i++) {
            member.breaker().failed("Connection refused");
        }
    }

    @Test
    void writesGoToThePrimaryAndReadsToReplicas() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY, REPLICA, REPLICA_2);

        assertEquals("primary", now(cluster.acquire(Owner.UNKNOWN, Route.WRITE)).node().name());
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease<Conn> lease = now(cluster.acquire(Owner.UNKNOWN, Route.READ));
            reads.add(lease.node().name());
            lease.release(Outcome.CLEAN);
        }

        assertEquals(List.of("replica-1", "replica-2", "replica-1", "replica-2"), reads);
    }

    @Test
    void readsFallBackToThePrimaryWhenNoReplicaCanServe() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY, REPLICA);
        open(cluster.member("replica-1"));

        assertEquals("primary", now(cluster.acquire(Owner.UNKNOWN, Route.READ)).node().name());
    }

    @Test
    void withNoNodeAbleToServeItFailsAtOnceSayingWhyAndWhenToRetry() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY, REPLICA);
        open(cluster.member("primary"));
        cluster.member("replica-1").drain(true);
        clock.advance(Duration.ofMillis(1500));

        PoolUnavailableException e = failure(cluster.acquire(Owner.UNKNOWN, Route.WRITE));

        assertEquals(Reason.NO_NODE, e.reason());
        assertEquals("pool 'main' has no node that can take a write now: primary (primary): circuit open "
                + "(Connection refused); replica-1 (replica): drained", e.getMessage());
        assertEquals(4, e.retryAfterSeconds(), "the primary's trial is due in 3.5 s");
    }

    @Test
    void aSingleNodePoolWithItsCircuitOpenFailsAtOnce() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY);
        open(cluster.member("primary"));

        assertEquals(Reason.NO_NODE, failure(cluster.acquire(Owner.UNKNOWN, Route.WRITE)).reason());
    }

    @Test
    void anOpenCircuitClosesTheNodesIdleConnectionsAndAClosedOneRefillsIt() {
        FakeConnector connector = FakeConnector.automatic();
        Cluster<Conn> cluster = cluster(connector, 2, 3, PRIMARY, REPLICA);
        Member<Conn> replica = cluster.member("replica-1");
        assertEquals(2, replica.engine().snapshot().total());

        open(replica);
        assertEquals(0, replica.engine().snapshot().total(), "no connections to an open node");
        clock.advance(Duration.ofSeconds(5));
        assertTrue(replica.breaker().trialDue());
        replica.probeSucceeded(1_000_000);
        replica.probeSucceeded(1_000_000);

        assertTrue(replica.available());
        assertEquals(2, replica.engine().snapshot().total(), "refilled to its target");
    }

    @Test
    void waitersOfANodeThatOpensMoveToAnotherNodeOfTheSameRole() {
        FakeConnector connector = FakeConnector.automatic();
        Cluster<Conn> cluster = cluster(connector, 1, 1, PRIMARY, REPLICA, REPLICA_2);
        Lease<Conn> busy1 = now(cluster.acquire(Owner.UNKNOWN, Route.READ)); // replica-1's only connection
        Lease<Conn> busy2 = now(cluster.acquire(Owner.UNKNOWN, Route.READ)); // replica-2's
        CompletionStage<Lease<Conn>> waiting = cluster.acquire(Owner.UNKNOWN, Route.READ); // queues on replica-1
        Member<Conn> queuedOn = cluster.member(busy1.node().name());
        assertFalse(waiting.toCompletableFuture().isDone());
        assertEquals(1, queuedOn.engine().snapshot().waiting());

        open(queuedOn);
        assertFalse(waiting.toCompletableFuture().isDone(), "moved to the other replica, waiting there");
        busy2.release(Outcome.CLEAN);

        Lease<Conn> got = now(waiting);
        assertEquals(busy2.node().name(), got.node().name());
        busy1.release(Outcome.CLEAN);
    }

    @Test
    void aNodeThatCannotConnectPassesTheRequestOn() {
        FakeConnector connector = new FakeConnector();
        Cluster<Conn> cluster = cluster(connector, 0, 2, PRIMARY, REPLICA, REPLICA_2);
        CompletionStage<Lease<Conn>> read = cluster.acquire(Owner.UNKNOWN, Route.READ);
        connector.failNextConnect("Connection refused"); // replica-1 is down

        connector.connectNext(); // replica-2 answers

        assertEquals("replica-2", now(read).node().name());
        assertEquals(1, cluster.member("replica-1").breaker().consecutiveFailures(), "the failure counts");
    }

    @Test
    void connectFailuresSeenByTrafficOpenTheCircuit() {
        FakeConnector connector = new FakeConnector();
        Cluster<Conn> cluster = cluster(connector, 0, 2, PRIMARY);
        for (int i = 0; i < 3; i++) {
            CompletionStage<Lease<Conn>> write = cluster.acquire(Owner.UNKNOWN, Route.WRITE);
            connector.failNextConnect("Connection refused");
            assertEquals(Reason.CONNECT_FAILED, failure(write).reason());
        }

        assertEquals(Breaker.State.OPEN, cluster.member("primary").breaker().state());
        assertEquals(Reason.NO_NODE, failure(cluster.acquire(Owner.UNKNOWN, Route.WRITE)).reason());
    }

    @Test
    void brokenConnectionsReturnedByRequestsFeedTheBreaker() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 3, PRIMARY);
        for (int i = 0; i < 3; i++) {
            now(cluster.acquire(Owner.UNKNOWN, Route.WRITE)).release(Outcome.BROKEN);
        }

        assertEquals(Breaker.State.OPEN, cluster.member("primary").breaker().state());
    }

    @Test
    void aClientThatLeavesIsWithdrawnFromTheNodesQueue() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 1, PRIMARY, REPLICA);
        Lease<Conn> held = now(cluster.acquire(Owner.UNKNOWN, Route.WRITE));
        CompletionStage<Lease<Conn>> waiting = cluster.acquire(Owner.UNKNOWN, Route.WRITE);
        assertEquals(1, cluster.member("primary").engine().snapshot().waiting());

        waiting.toCompletableFuture().cancel(false);

        assertEquals(0, cluster.member("primary").engine().snapshot().waiting());
        held.release(Outcome.CLEAN);
        assertEquals(1, cluster.member("primary").engine().snapshot().idle(), "not handed to the one who left");
    }

    @Test
    void drainedNodesGetNoNewWorkAndUndrainedTheyDoAgain() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY, REPLICA, REPLICA_2);
        cluster.member("replica-1").drain(true);
        for (int i = 0; i < 4; i++) {
            Lease<Conn> lease = now(cluster.acquire(Owner.UNKNOWN, Route.READ));
            assertEquals("replica-2", lease.node().name());
            lease.release(Outcome.CLEAN);
        }
        cluster.member("replica-1").drain(false);

        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Lease<Conn> lease = now(cluster.acquire(Owner.UNKNOWN, Route.READ));
            reads.add(lease.node().name());
            lease.release(Outcome.CLEAN);
        }
        assertTrue(reads.contains("replica-1"), reads.toString());
    }

    @Test
    void thePoolsFiguresAreTheSumOfItsNodes() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 2, 5, PRIMARY, REPLICA);
        Lease<Conn> lease = now(cluster.acquire(Owner.UNKNOWN, Route.WRITE));

        var s = cluster.snapshot();
        assertEquals(List.of(4, 1, 3, 4, 10), List.of(s.total(), s.inUse(), s.idle(), s.min(), s.max()));
        assertSame(cluster.member("primary"), cluster.members().get(0));
        lease.release(Outcome.CLEAN);
    }

    @Test
    void aRolesRequestsAreServedByConnectionsThatLoggedInAsTheRole() {
        FakeConnector connector = FakeConnector.automatic();
        Cluster<Conn> cluster = cluster(connector, 1, 2, PRIMARY, REPLICA);
        RoleLogin alice = new RoleLogin("alice", "alice-secret", 2);

        Lease<Conn> lease = now(cluster.acquire(Owner.UNKNOWN, Route.WRITE, alice));

        assertEquals(new Node.Login("alice", "alice-secret"), lease.connection().node.login());
        assertEquals(1, cluster.member("primary").roleEngines().get("alice").snapshot().inUse());
        assertEquals(null, now(cluster.acquire(Owner.UNKNOWN, Route.WRITE)).connection().node.login(),
                "the pool's own login serves the others");
        assertEquals(3, cluster.snapshot().total(), "one per node for the pool's login, and the role's own");
    }

    @Test
    void aRolesEnginesFollowTheirNodesCircuit() {
        Cluster<Conn> cluster = cluster(FakeConnector.automatic(), 1, 2, PRIMARY);
        RoleLogin alice = new RoleLogin("alice", "pw", 2);
        now(cluster.acquire(Owner.UNKNOWN, Route.WRITE, alice)).release(Outcome.CLEAN);

        open(cluster.member("primary"));

        assertEquals(0, cluster.member("primary").roleEngines().get("alice").snapshot().total(),
                "an open circuit closes the role's connections too");
        assertEquals(Reason.NO_NODE, failure(cluster.acquire(Owner.UNKNOWN, Route.WRITE, alice)).reason());
    }
}
