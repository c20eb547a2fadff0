package io.poolgate.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.pool.FakeConnector.Conn;
import io.poolgate.topology.Node;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PoolTest {

    static final Node PRIMARY = new Node("primary", "fake://user:secret@db:5432/app", Node.Role.PRIMARY, 1);

    final ManualClock clock = new ManualClock();
    final FakeConnector connector = new FakeConnector();

    static PoolSettings settings(int min, int max, int initial) {
        return new PoolSettings("main", PRIMARY, new PoolSettings.Sizes(min, max, initial),
                Duration.ofSeconds(1), 3,
                new ReusePolicy(Duration.ofSeconds(60), Duration.ofMinutes(30), 0, Duration.ofSeconds(10)),
                Duration.ZERO, BackendTimeouts.DEFAULT);
    }

    Pool<Conn> pool(PoolSettings settings) {
        return new Pool<>(settings, connector, clock, clock);
    }

    /** A pool warmed up to {@code initial} connections, all connected. */
    Pool<Conn> warmPool(PoolSettings settings) {
        Pool<Conn> pool = pool(settings);
        pool.warmUp();
        connector.connectAll();
        return pool;
    }

    static <T> T now(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "expected the stage to be complete");
        return future.join();
    }

    static Throwable failure(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "expected the stage to be complete");
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return e.getCause();
    }

    static void assertSizes(Pool<?> pool, int total, int inUse, int idle, int connecting, int waiting) {
        PoolSnapshot s = pool.snapshot();
        assertEquals(List.of(total, inUse, idle, connecting, waiting),
                List.of(s.total(), s.inUse(), s.idle(), s.connecting(), s.waiting()),
                "total, in-use, idle, connecting, waiting");
    }

    @Test
    void warmUpOpensInitialConnectionsInParallel() {
        Pool<Conn> pool = pool(settings(1, 10, 4));
        CompletionStage<Void> warm = pool.warmUp();

        assertEquals(4, connector.pendingConnects(), "all four connects started before any finished");
        assertFalse(warm.toCompletableFuture().isDone());
        connector.connectAll();

        assertTrue(warm.toCompletableFuture().isDone());
        assertSizes(pool, 4, 0, 4, 0, 0);
    }

    @Test
    void warmUpCompletesEvenWhenConnectsFail() {
        Pool<Conn> pool = pool(settings(1, 10, 2));
        CompletionStage<Void> warm = pool.warmUp();
        connector.connectNext();
        connector.failNextConnect("connection refused");

        assertTrue(warm.toCompletableFuture().isDone());
        assertSizes(pool, 1, 0, 1, 0, 0);
        assertEquals(1, pool.snapshot().counters().createFailures());
    }

    @Test
    void lendsAnIdleConnectionAtOnce() {
        Pool<Conn> pool = warmPool(settings(1, 2, 1));

        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));

        assertEquals(1, lease.connection().id);
        assertSizes(pool, 1, 1, 0, 0, 0);
    }

    @Test
    void lendsTheMostRecentlyUsedConnectionFirst() {
        Pool<Conn> pool = warmPool(settings(2, 2, 2));
        Lease<Conn> a = now(pool.acquire(Owner.UNKNOWN));
        Lease<Conn> b = now(pool.acquire(Owner.UNKNOWN));
        a.release(Outcome.CLEAN);
        b.release(Outcome.CLEAN);

        assertSame(b.connection(), now(pool.acquire(Owner.UNKNOWN)).connection());
    }

    @Test
    void opensAConnectionForAWaiterWhenBelowMax() {
        Pool<Conn> pool = warmPool(settings(0, 2, 0));

        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);
        assertSizes(pool, 1, 0, 0, 1, 1);
        connector.connectNext();

        assertEquals(1, now(waiting).connection().id);
        assertSizes(pool, 1, 1, 0, 0, 0);
    }

    @Test
    void handsAReturnedConnectionToTheOldestWaiterFirst() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> held = now(pool.acquire(new Owner("a", "r1")));
        CompletionStage<Lease<Conn>> first = pool.acquire(new Owner("b", "r2"));
        CompletionStage<Lease<Conn>> second = pool.acquire(new Owner("c", "r3"));

        held.release(Outcome.CLEAN);

        Lease<Conn> got = now(first);
        assertEquals("b", got.owner().client());
        assertSame(held.connection(), got.connection(), "handed over directly, not reopened");
        assertFalse(second.toCompletableFuture().isDone());
        assertSizes(pool, 1, 1, 0, 0, 1);
    }

    @Test
    void timesOutWithADiagnosisOfThePool() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        clock.advance(Duration.ofMillis(999));
        assertFalse(waiting.toCompletableFuture().isDone(), "still within the 1 s acquire timeout");
        clock.advance(Duration.ofMillis(1));

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertEquals(PoolUnavailableException.Reason.TIMEOUT, e.reason());
        assertEquals("pool 'main' node 'primary' - connection not available, request timed out after 1000ms "
                + "(total=1, in-use=1, idle=0, connecting=0, waiting=0)", e.getMessage());
        assertEquals(1000, e.waitedMillis());
        assertEquals(1, pool.snapshot().counters().timeouts());
    }

    @Test
    void rejectsAtOnceWhenTheQueueIsFull() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1)); // max-waiters = 3
        now(pool.acquire(Owner.UNKNOWN));
        for (int i = 0; i < 3; i++) {
            pool.acquire(Owner.UNKNOWN);
        }

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class,
                failure(pool.acquire(Owner.UNKNOWN)));

        assertEquals(PoolUnavailableException.Reason.QUEUE_FULL, e.reason());
        assertEquals("pool 'main' node 'primary' wait queue full (max-waiters=3, in-use=1/1)", e.getMessage());
        assertEquals(1, pool.snapshot().counters().rejected());
        assertSizes(pool, 1, 1, 0, 0, 3);
    }

    @Test
    void neverOpensMoreThanMax() {
        Pool<Conn> pool = warmPool(settings(0, 2, 0).withWaiting(Duration.ofSeconds(1), 100));
        for (int i = 0; i < 10; i++) {
            pool.acquire(Owner.UNKNOWN);
        }

        assertEquals(2, connector.pendingConnects());
        assertSizes(pool, 2, 0, 0, 2, 10);
    }

    @Test
    void shrinksTowardMinAfterIdleTimeout() {
        Pool<Conn> pool = warmPool(settings(2, 10, 5));

        clock.advance(Duration.ofSeconds(59));
        pool.maintain();
        assertSizes(pool, 5, 0, 5, 0, 0);
        clock.advance(Duration.ofSeconds(1));
        pool.maintain();

        assertSizes(pool, 2, 0, 2, 0, 0);
        assertEquals(3, connector.closed.size());
    }

    @Test
    void retiresAConnectionPastItsMaxLifetimeAndReplacesIt() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));

        clock.advance(Duration.ofMinutes(30)); // lifetime minus jitter has surely passed
        pool.maintain();

        assertTrue(connector.opened.get(0).closed);
        assertSizes(pool, 1, 0, 0, 1, 0);
    }

    @Test
    void spreadsExpiryWithJitterOfAtMostTwoAndAHalfPercent() {
        ReusePolicy reuse = new ReusePolicy(Duration.ZERO, Duration.ofSeconds(400), 0, Duration.ZERO);
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < 200; i++) {
            long at = reuse.expiresAt(0);
            earliest = Math.min(earliest, at);
            latest = Math.max(latest, at);
        }
        assertTrue(earliest >= Duration.ofSeconds(390).toNanos(), "at most 2.5% early");
        assertTrue(latest <= Duration.ofSeconds(400).toNanos(), "never late");
        assertTrue(latest - earliest > Duration.ofSeconds(1).toNanos(), "spread out");
    }

    @Test
    void retiresAConnectionOnceItHasBeenLentMaxUsesTimes() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1)
                .withReuse(new ReusePolicy(Duration.ofSeconds(60), Duration.ZERO, 2, Duration.ofSeconds(10))));
        Lease<Conn> one = now(pool.acquire(Owner.UNKNOWN));
        one.release(Outcome.CLEAN);
        Lease<Conn> two = now(pool.acquire(Owner.UNKNOWN));
        assertSame(one.connection(), two.connection());

        two.release(Outcome.CLEAN);

        assertTrue(two.connection().closed, "closed after its second use");
        assertSizes(pool, 1, 0, 0, 1, 0);
    }

    @Test
    void resetsADirtyConnectionBeforeLendingItAgain() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        lease.release(Outcome.DIRTY);
        assertFalse(waiting.toCompletableFuture().isDone(), "not lent while resetting");
        assertSizes(pool, 1, 1, 0, 0, 1);
        connector.nextReset().succeed();

        assertSame(lease.connection(), now(waiting).connection());
    }

    @Test
    void closesAndReplacesAConnectionWhoseResetFailed() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        lease.release(Outcome.DIRTY);
        connector.nextReset().fail("current transaction is aborted");

        assertTrue(lease.connection().closed);
        assertSizes(pool, 1, 0, 0, 1, 1);
        Conn replacement = connector.connectNext();
        assertSame(replacement, now(waiting).connection());
    }

    @Test
    void replacesABrokenConnection() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));

        lease.release(Outcome.BROKEN);

        assertTrue(lease.connection().closed);
        assertSizes(pool, 1, 0, 0, 1, 0);
        connector.connectNext();
        assertSizes(pool, 1, 0, 1, 0, 0);
    }

    @Test
    void replacesAnIdleConnectionTheBackendDropped() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));

        connector.opened.get(0).drop();

        assertTrue(connector.opened.get(0).closed);
        assertSizes(pool, 1, 0, 0, 1, 0);
    }

    @Test
    void closesALentConnectionTheBackendDroppedWhenItComesBack() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));

        lease.connection().drop();
        assertFalse(lease.connection().closed, "still lent");
        lease.release(Outcome.CLEAN);

        assertTrue(lease.connection().closed);
    }

    @Test
    void releasingTwiceFailsLoudly() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lease = now(pool.acquire(new Owner("10.0.0.7", "r-42")));
        lease.release(Outcome.CLEAN);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lease.release(Outcome.CLEAN));

        assertEquals("pool 'main' - lease of connection 1 on node 'primary' by client 10.0.0.7, request r-42 "
                + "released twice", e.getMessage());
        assertSizes(pool, 1, 0, 1, 0, 0);
    }

    @Test
    void validatesAConnectionIdleLongerThanTheThresholdBeforeLendingIt() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        clock.advance(Duration.ofSeconds(10));

        CompletionStage<Lease<Conn>> acquiring = pool.acquire(Owner.UNKNOWN);
        assertFalse(acquiring.toCompletableFuture().isDone());
        connector.nextValidation().succeed();

        assertEquals(1, now(acquiring).connection().id);
    }

    @Test
    void triesAnotherConnectionWhenValidationFails() {
        Pool<Conn> pool = warmPool(settings(1, 2, 1));
        clock.advance(Duration.ofSeconds(10));

        CompletionStage<Lease<Conn>> acquiring = pool.acquire(Owner.UNKNOWN);
        connector.nextValidation().fail("server closed the connection");

        assertTrue(connector.opened.get(0).closed);
        Conn fresh = connector.connectNext();
        assertSame(fresh, now(acquiring).connection());
        assertSizes(pool, 1, 1, 0, 0, 0);
    }

    @Test
    void failsWaitersAtOnceWhenNoConnectionExistsAndConnectingFails() {
        Pool<Conn> pool = pool(settings(0, 2, 0));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        connector.failNextConnect("Connection refused: db/10.0.0.5:5432");

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertEquals(PoolUnavailableException.Reason.CONNECT_FAILED, e.reason());
        assertEquals("pool 'main' cannot connect to node 'primary' (fake://user:***@db:5432/app): "
                + "Connection refused: db/10.0.0.5:5432", e.getMessage());
        assertSizes(pool, 0, 0, 0, 0, 0);
    }

    @Test
    void cancelledWaiterLeavesTheQueueAndTakesNoConnection() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> held = now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        waiting.toCompletableFuture().cancel(false);
        assertSizes(pool, 1, 1, 0, 0, 0);
        held.release(Outcome.CLEAN);

        assertSizes(pool, 1, 0, 1, 0, 0);
    }

    @Test
    void reportsALeaseHeldPastTheLeakThresholdOnce() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1).withLeakThreshold(Duration.ofSeconds(5)));
        Lease<Conn> lease = now(pool.acquire(new Owner("10.0.0.7", "r-1")));
        lease.describe("SELECT pg_sleep(100)");

        clock.advance(Duration.ofSeconds(4));
        pool.maintain();
        assertEquals(0, pool.snapshot().counters().leaks());
        clock.advance(Duration.ofSeconds(1));
        pool.maintain();
        clock.advance(Duration.ofSeconds(10));
        pool.maintain();

        assertEquals(1, pool.snapshot().counters().leaks(), "reported once, not at every housekeeping run");
    }

    @Test
    void housekeepingTopsUpToTarget() {
        Pool<Conn> pool = pool(settings(3, 5, 0));

        pool.maintain();

        assertEquals(3, connector.pendingConnects());
    }

    @Test
    void resizeClampsToMinAndMaxAndClosesIdleConnectionsAboveTheTarget() {
        Pool<Conn> pool = warmPool(settings(2, 6, 4));

        assertEquals(6, pool.resize(50));
        assertSizes(pool, 6, 0, 4, 2, 0);
        connector.connectAll();
        assertEquals(2, pool.resize(0));

        assertSizes(pool, 2, 0, 2, 0, 0);
        assertEquals(2, pool.snapshot().target());
    }

    @Test
    void shutdownFailsWaitersClosesIdleAndWaitsForLentConnections() {
        Pool<Conn> pool = warmPool(settings(2, 2, 2));
        Lease<Conn> lent = now(pool.acquire(Owner.UNKNOWN));
        now(pool.acquire(Owner.UNKNOWN)).release(Outcome.CLEAN);
        Lease<Conn> other = now(pool.acquire(Owner.UNKNOWN));
        other.release(Outcome.CLEAN);
        CompletionStage<Void> closed = pool.close(Duration.ofSeconds(30));

        assertFalse(closed.toCompletableFuture().isDone(), "one connection is still lent");
        assertEquals(PoolUnavailableException.Reason.CLOSED,
                ((PoolUnavailableException) failure(pool.acquire(Owner.UNKNOWN))).reason());
        lent.release(Outcome.CLEAN);

        assertTrue(closed.toCompletableFuture().isDone());
        assertTrue(connector.opened.stream().allMatch(c -> c.closed));
        assertSizes(pool, 0, 0, 0, 0, 0);
    }

    @Test
    void shutdownClosesConnectionsStillLentAtTheDeadline() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        Lease<Conn> lent = now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Void> closed = pool.close(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(30));

        assertTrue(closed.toCompletableFuture().isDone());
        assertTrue(lent.connection().closed);
        lent.release(Outcome.CLEAN); // the late release is accepted quietly
        assertSizes(pool, 0, 0, 0, 0, 0);
    }

    @Test
    void shutdownFailsQueuedWaiters() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        pool.close(Duration.ofSeconds(30));

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertEquals("pool 'main' node 'primary' is shut down", e.getMessage());
    }

    @Test
    void countsReuse() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        for (int i = 0; i < 4; i++) {
            now(pool.acquire(Owner.UNKNOWN)).release(Outcome.CLEAN);
        }

        PoolSnapshot s = pool.snapshot();
        assertEquals(4, s.counters().acquired());
        assertEquals(1, s.counters().created());
        assertEquals(0.75, s.reuseRatio(), 1e-9);
    }

    @Test
    void utilizationAlarmFollowsThePeakBetweenHousekeepingRuns() {
        Pool<Conn> pool = warmPool(settings(1, 5, 5));
        List<Lease<Conn>> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(now(pool.acquire(Owner.UNKNOWN)));
        }
        leases.forEach(l -> l.release(Outcome.CLEAN)); // a burst to 80% that is over before housekeeping

        pool.maintain();
        assertEquals(UtilizationAlarm.HIGH, pool.alarm(), "the burst is seen");
        pool.maintain();
        assertEquals(UtilizationAlarm.NORMAL, pool.alarm(), "and forgotten once it is over");
    }

    @Test
    void utilizationAlarmDoesNotChangeBetweenHousekeepingRuns() {
        Pool<Conn> pool = warmPool(settings(1, 1, 1));
        for (int i = 0; i < 100; i++) {
            now(pool.acquire(Owner.UNKNOWN)).release(Outcome.CLEAN);
        }
        assertEquals(UtilizationAlarm.NORMAL, pool.alarm(), "requests alone never flip the level");
    }

    @Test
    void lendsAConnectionWhoseIoRunsOnTheCallersThreadFirst() throws Exception {
        Pool<Conn> pool = pool(settings(2, 2, 2));
        pool.warmUp();
        Conn local = connector.connectNext(); // completes on this thread: its I/O thread
        Thread elsewhere = new Thread(connector::connectNext);
        elsewhere.start();
        elsewhere.join();
        // the connection completed elsewhere went idle last, so it is the most recently used

        assertSame(local, now(pool.acquire(Owner.UNKNOWN)).connection());
        assertNotSame(local, now(pool.acquire(Owner.UNKNOWN)).connection(), "then any other");
    }
}
