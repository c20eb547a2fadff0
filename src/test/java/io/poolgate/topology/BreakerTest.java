package io.poolgate.topology;

import static io.poolgate.topology.Breaker.State.CLOSED;
import static io.poolgate.topology.Breaker.State.HALF_OPEN;
import static io.poolgate.topology.Breaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.pool.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node breaker's timeline, narrated with a manual clock. */
class BreakerTest {

    final ManualClock clock = new ManualClock();
    final List<String> transitions = new ArrayList<>();
    /** 3 failures open it; 2 trial successes close it; open 5 s, doubling up to 20 s. */
    final Breaker breaker = new Breaker(new Breaker.Settings(3, 2, Duration.ofSeconds(5), Duration.ofSeconds(20)),
            clock, (from, to, why) -> transitions.add(from + "->" + to + ": " + why));

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        breaker.failed("Connection refused");
        breaker.failed("Connection refused");
        assertTrue(breaker.closed(), "two failures are below the threshold of three");

        breaker.failed("Connection refused");

        assertEquals(OPEN, breaker.state());
        assertEquals(List.of("CLOSED->OPEN: 3 consecutive failure(s), last: Connection refused"), transitions);
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.failed("timeout");
        breaker.failed("timeout");
        breaker.succeeded();
        breaker.failed("timeout");
        breaker.failed("timeout");

        assertTrue(breaker.closed());
        assertEquals(2, breaker.consecutiveFailures());
    }

    @Test
    void staysOpenForItsWaitThenLetsOneTrialThrough() {
        open();
        clock.advance(Duration.ofMillis(4999));
        assertFalse(breaker.trialDue()); // still open: the wait is 5 s
        assertEquals(OPEN, breaker.state());

        clock.advance(Duration.ofMillis(1));
        assertTrue(breaker.trialDue());

        assertEquals(HALF_OPEN, breaker.state());
        assertFalse(breaker.closed(), "half open takes no traffic, only the trial probes");
    }

    @Test
    void closesAfterTheRecoveryThresholdOfTrialSuccesses() {
        open();
        clock.advance(Duration.ofSeconds(5));
        breaker.trialDue();

        breaker.succeeded();
        assertEquals(HALF_OPEN, breaker.state(), "one success of two");
        breaker.succeeded();

        assertEquals(CLOSED, breaker.state());
        assertEquals("HALF_OPEN->CLOSED: 2 consecutive successful probe(s)", transitions.get(transitions.size() - 1));
    }

    @Test
    void aFailedTrialReopensWithTwiceTheWaitUpToTheCap() {
        open();
        clock.advance(Duration.ofSeconds(5));
        breaker.trialDue();
        breaker.failed("Connection refused");
        assertEquals(OPEN, breaker.state());

        clock.advance(Duration.ofSeconds(9));
        assertFalse(breaker.trialDue(), "the second wait is 10 s");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(breaker.trialDue());
        breaker.failed("Connection refused"); // now 20 s
        clock.advance(Duration.ofSeconds(20));
        assertTrue(breaker.trialDue());
        breaker.failed("Connection refused"); // capped at 20 s, not 40
        clock.advance(Duration.ofSeconds(20));

        assertTrue(breaker.trialDue());
    }

    @Test
    void closingResetsTheWait() {
        open();
        clock.advance(Duration.ofSeconds(5));
        breaker.trialDue();
        breaker.failed("down"); // wait now 10 s
        clock.advance(Duration.ofSeconds(10));
        breaker.trialDue();
        breaker.succeeded();
        breaker.succeeded();
        assertTrue(breaker.closed());

        open();
        clock.advance(Duration.ofSeconds(5));

        assertTrue(breaker.trialDue(), "back to the first wait of 5 s");
    }

    @Test
    void failuresWhileOpenDoNotExtendTheWait() {
        open();
        clock.advance(Duration.ofSeconds(4));
        breaker.failed("a request saw the old connection break");
        clock.advance(Duration.ofSeconds(1));

        assertTrue(breaker.trialDue());
    }

    @Test
    void tellsWhenTheTrialIsDue() {
        open();
        clock.advance(Duration.ofSeconds(2));

        assertEquals(Duration.ofSeconds(3).toNanos(), breaker.untilTrial());
    }

    @Test
    void illegalTransitionsThrowNamingBothStates() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CLOSED.to(HALF_OPEN));
        assertEquals("breaker cannot go from CLOSED to HALF_OPEN", e.getMessage());
        assertThrows(IllegalStateException.class, () -> OPEN.to(CLOSED));
        assertEquals(OPEN, HALF_OPEN.to(OPEN));
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed("Connection refused");
        }
        assertEquals(OPEN, breaker.state());
    }
}
