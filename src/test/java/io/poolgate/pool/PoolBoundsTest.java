package io.poolgate.pool;

import static io.poolgate.pool.PoolTest.assertSizes;
import static io.poolgate.pool.PoolTest.failure;
import static io.poolgate.pool.PoolTest.now;
import static io.poolgate.pool.PoolTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.pool.FakeConnector.Conn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The engine's own bounds on its waits on the backend (a frozen server answers nothing), its
 * drain, and what it tells the layers above it.
 */
class PoolBoundsTest {

    final ManualClock clock = new ManualClock();
    final FakeConnector connector = new FakeConnector();
    final List<String> failures = new ArrayList<>();
    final PoolEvents events = new PoolEvents() {
        @Override
        public void failed(String what) {
            failures.add(what);
        }
    };
    /** connect 2 s, validate 1 s, reset 3 s; acquire timeout 1 s. */
    static final BackendTimeouts BOUNDS = new BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(3));

    Pool<Conn> pool(int min, int max, int initial) {
        return new Pool<>(settings(min, max, initial).withTimeouts(BOUNDS)
                .withWaiting(Duration.ofSeconds(10), 3), connector, clock, clock, events);
    }

    Pool<Conn> warm(int min, int max, int initial) {
        Pool<Conn> pool = pool(min, max, initial);
        pool.warmUp();
        connector.connectAll();
        return pool;
    }

    @Test
    void abandonsAConnectThatDoesNotFinishAndClosesItIfItOpensLater() {
        Pool<Conn> pool = pool(0, 1, 0);
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        clock.advance(Duration.ofMillis(1999));
        assertSizes(pool, 1, 0, 0, 1, 1);
        clock.advance(Duration.ofMillis(1));

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertEquals(PoolUnavailableException.Reason.CONNECT_FAILED, e.reason(), "nothing live: waiters fail at once");
        assertTrue(e.getMessage().endsWith("connect did not finish within 2000ms"), e.getMessage());
        assertSizes(pool, 0, 0, 0, 0, 0);
        assertEquals(List.of("connect failed: connect did not finish within 2000ms"), failures);

        Conn late = connector.connectNext(); // the frozen server wakes up
        assertTrue(late.closed, "a connection opened after its connect was abandoned is closed at once");
        assertSizes(pool, 0, 0, 0, 0, 0);
    }

    @Test
    void replacesAConnectionWhoseValidationDoesNotAnswerAndTheWaiterKeepsItsTurn() {
        Pool<Conn> pool = warm(1, 2, 1);
        clock.advance(Duration.ofSeconds(11)); // past validate-after-idle (10 s)
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);
        assertEquals(1, connector.validations.size());
        Conn frozen = connector.validations.peek().conn;

        clock.advance(Duration.ofSeconds(1));

        assertTrue(frozen.closed, "closed when its validation timed out");
        assertEquals(List.of("failed validation: validation did not finish within 1000ms"), failures);
        assertFalse(waiting.toCompletableFuture().isDone(), "the waiter is back at the head of the queue");
        connector.connectNext();
        assertNotSame(frozen, now(waiting).connection());
    }

    @Test
    void replacesAConnectionWhoseResetDoesNotAnswer() {
        Pool<Conn> pool = warm(1, 1, 1);
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));
        lease.release(Outcome.DIRTY);
        CompletionStage<Lease<Conn>> next = pool.acquire(Owner.UNKNOWN);

        clock.advance(Duration.ofSeconds(3));

        assertTrue(lease.connection().closed);
        assertEquals(1, pool.snapshot().counters().releasedBroken());
        assertEquals(List.of("reset failed: reset did not finish within 3000ms"), failures);
        connector.connectNext();
        assertNotSame(lease.connection(), now(next).connection(), "the waiter gets the replacement");
    }

    @Test
    void aLateAnswerAfterATimeoutChangesNothing() {
        Pool<Conn> pool = warm(1, 1, 1);
        Lease<Conn> lease = now(pool.acquire(Owner.UNKNOWN));
        lease.release(Outcome.DIRTY);
        FakeConnector.Pending<Void> reset = connector.nextReset();
        clock.advance(Duration.ofSeconds(3));
        connector.connectNext();

        reset.succeed(); // the backend answers after all

        assertSizes(pool, 1, 0, 1, 0, 0);
        assertEquals(1, pool.snapshot().counters().releasedBroken(), "counted once");
    }

    @Test
    void aBrokenReturnIsReportedAsANodeFailure() {
        Pool<Conn> pool = warm(1, 1, 1);
        now(pool.acquire(Owner.UNKNOWN)).release(Outcome.BROKEN);

        assertEquals(List.of("a lent connection broke"), failures);
    }

    @Test
    void drainedItFailsWaitersAtOnceClosesIdleNowAndLentOnReturn() {
        Pool<Conn> pool = warm(2, 3, 2);
        Lease<Conn> lent = now(pool.acquire(Owner.UNKNOWN));
        now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);
        connector.connectNext(); // the third connection opens for the waiter
        Lease<Conn> third = now(waiting);
        third.release(Outcome.CLEAN);

        pool.drain("node 'primary' circuit is OPEN");

        assertEquals(1, connector.closed.size(), "the idle one closed at once");
        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class,
                failure(pool.acquire(Owner.UNKNOWN)));
        assertEquals(PoolUnavailableException.Reason.DRAINED, e.reason());
        assertEquals("pool 'main' node 'primary' takes no work: node 'primary' circuit is OPEN", e.getMessage());
        lent.release(Outcome.CLEAN);
        assertTrue(lent.connection().closed, "a lent one closes when it comes back");
        pool.maintain();
        assertEquals(0, connector.pendingConnects(), "nothing is opened while drained, not even for min");
        assertSizes(pool, 1, 1, 0, 0, 0);
    }

    @Test
    void drainFailsTheQueueSoABalancerCanMoveItElsewhere() {
        Pool<Conn> pool = warm(1, 1, 1);
        now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        pool.drain("node 'primary' is drained by the operator");

        PoolUnavailableException e = assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertEquals(PoolUnavailableException.Reason.DRAINED, e.reason());
    }

    @Test
    void undrainedItRefillsToItsTarget() {
        Pool<Conn> pool = warm(2, 3, 2);
        pool.drain("node 'primary' circuit is OPEN");
        assertSizes(pool, 0, 0, 0, 0, 0);

        pool.undrain();
        connector.connectAll();

        assertSizes(pool, 2, 0, 2, 0, 0);
        now(pool.acquire(Owner.UNKNOWN));
    }

    @Test
    void aConnectionOpenedWhileDrainedIsClosed() {
        Pool<Conn> pool = pool(0, 1, 0);
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN);

        pool.drain("node 'primary' circuit is OPEN");
        Conn late = connector.connectNext();

        assertInstanceOf(PoolUnavailableException.class, failure(waiting));
        assertTrue(late.closed);
        assertSizes(pool, 0, 0, 0, 0, 0);
    }

    @Test
    void acquireHonoursTheBudgetItIsGiven() {
        Pool<Conn> pool = warm(1, 1, 1);
        now(pool.acquire(Owner.UNKNOWN));
        CompletionStage<Lease<Conn>> waiting = pool.acquire(Owner.UNKNOWN, Duration.ofMillis(200).toNanos());

        clock.advance(Duration.ofMillis(200));

        assertEquals(PoolUnavailableException.Reason.TIMEOUT,
                assertInstanceOf(PoolUnavailableException.class, failure(waiting)).reason());
    }

    @Test
    void aLeaseDeadlineRunsOnceAtHousekeepingPastItAndNotAfterRelease() {
        Pool<Conn> pool = warm(2, 2, 2);
        Lease<Conn> held = now(pool.acquire(Owner.UNKNOWN));
        Lease<Conn> returned = now(pool.acquire(Owner.UNKNOWN));
        List<String> fired = new ArrayList<>();
        held.deadline(Duration.ofSeconds(2).toNanos(), () -> fired.add("held"));
        returned.deadline(Duration.ofSeconds(2).toNanos(), () -> fired.add("returned"));
        returned.release(Outcome.CLEAN);

        clock.advance(Duration.ofMillis(1999));
        pool.maintain();
        assertEquals(List.of(), fired, "not yet due");
        clock.advance(Duration.ofMillis(1));
        pool.maintain();
        pool.maintain();

        assertEquals(List.of("held"), fired, "once, and never for a lease given back");
        held.deadline(Duration.ofSeconds(1).toNanos(), () -> fired.add("re-armed"));
        held.deadline(0, null);
        clock.advance(Duration.ofSeconds(5));
        pool.maintain();
        assertEquals(List.of("held"), fired, "disarmed");
    }

    @Test
    void oneTimerServesTheWholeQueueAndAShorterBudgetStillTimesOutOnTime() {
        Pool<Conn> pool = warm(1, 1, 1);
        now(pool.acquire(Owner.UNKNOWN));
        long before = clock.pendingTimers();
        List<CompletionStage<Lease<Conn>>> queued = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            queued.add(pool.acquire(Owner.UNKNOWN)); // the 10 s acquire timeout of the test settings
        }
        assertEquals(before + 1, clock.pendingTimers(), "one sweep for the queue, not one timer per waiter");
        CompletionStage<Lease<Conn>> hurried = pool.acquire(Owner.UNKNOWN, Duration.ofSeconds(1).toNanos());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(PoolUnavailableException.Reason.TIMEOUT,
                assertInstanceOf(PoolUnavailableException.class, failure(hurried)).reason());
        assertFalse(queued.get(0).toCompletableFuture().isDone());
        clock.advance(Duration.ofSeconds(9));
        for (CompletionStage<Lease<Conn>> waiter : queued) {
            assertEquals(PoolUnavailableException.Reason.TIMEOUT,
                    assertInstanceOf(PoolUnavailableException.class, failure(waiter)).reason());
        }
        assertEquals(3, pool.snapshot().counters().timeouts());
    }
}
