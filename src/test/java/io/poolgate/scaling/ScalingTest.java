package io.poolgate.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.scaling.Scaling.Bounds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scaling decision as a pure function: short tests, no clock, no pool. */
class ScalingTest {

    static final Duration LONG_AGO = Duration.ofHours(1);
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    static final Bounds BOUNDS = new Bounds(10, 50, Integer.MAX_VALUE);
    static final List<Policy> UTILIZATION = List.of(Policy.utilization()); // 0.8 / 0.3, +5 / -2, 30 s

    /** One sample a second for {@code seconds + 1} seconds, all at utilization {@code u}. */
    static List<Sample> steady(int seconds, double u, int waiters) {
        List<Sample> window = new ArrayList<>();
        for (int s = 0; s <= seconds; s++) {
            window.add(new Sample(s * 1_000_000_000L, u, waiters, 100, 1));
        }
        return window;
    }

    @Test
    void scalesUpOnSustainedUtilization() {
        Decision d = Scaling.decide(20, steady(30, 0.86, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN);
        assertEquals(25, d.to());
        assertEquals(Decision.Direction.UP, d.direction());
        assertEquals("utilization 0.86 > 0.80 for 30s", d.reason());
    }

    @Test
    void doesNotScaleOnASpikeShorterThanSustain() {
        List<Sample> window = steady(30, 0.5, 0);
        for (int s = 20; s <= 30; s++) {
            window.set(s, new Sample(s * 1_000_000_000L, 0.95, 0, 100, 1)); // 10 s of spike
        }
        assertEquals(20, Scaling.decide(20, window, UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
    }

    @Test
    void doesNotScaleBeforeTheConditionWasObservedForSustain() {
        assertEquals(20, Scaling.decide(20, steady(20, 0.95, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
    }

    @Test
    void cooldownBlocksASecondAction() {
        Decision d = Scaling.decide(25, steady(30, 0.9, 0), UTILIZATION, BOUNDS, Duration.ofSeconds(29), COOLDOWN);
        assertEquals(25, d.to());
        assertTrue(d.reason().startsWith("cooldown"), d.reason());
        assertEquals(30, Scaling.decide(25, steady(30, 0.9, 0), UTILIZATION, BOUNDS, COOLDOWN, COOLDOWN).to());
    }

    @Test
    void incrementsClampAtMax() {
        Decision d = Scaling.decide(48, steady(30, 0.95, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN);
        assertEquals(50, d.to());
        assertTrue(d.reason().endsWith(", held at max 50"), d.reason());
        assertEquals(50, Scaling.decide(50, steady(30, 0.95, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
    }

    @Test
    void decrementsClampAtMin() {
        assertEquals(18, Scaling.decide(20, steady(30, 0.1, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
        assertEquals(10, Scaling.decide(11, steady(30, 0.1, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
        assertEquals(10, Scaling.decide(10, steady(30, 0.1, 0), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
    }

    @Test
    void scaleDownNeedsEveryPolicyToAgree() {
        Policy waiters = new Policy(Metric.WAITERS, 5, 1, 10, 3, Duration.ofSeconds(5));
        List<Policy> both = List.of(Policy.utilization(), waiters);

        assertEquals(20, Scaling.decide(20, steady(30, 0.1, 2), both, BOUNDS, LONG_AGO, COOLDOWN).to(),
                "utilization is low but 2 requests still wait");
        assertEquals(18, Scaling.decide(20, steady(30, 0.1, 0), both, BOUNDS, LONG_AGO, COOLDOWN).to(),
                "both agree: the smaller decrement");
    }

    @Test
    void waitersTriggerGrowthAtModerateUtilization() {
        Policy waiters = new Policy(Metric.WAITERS, 5, 1, 10, 3, Duration.ofSeconds(5));
        Decision d = Scaling.decide(20, steady(30, 0.6, 12), List.of(Policy.utilization(), waiters), BOUNDS,
                LONG_AGO, COOLDOWN);
        assertEquals(30, d.to());
        assertEquals(Metric.WAITERS, d.policy());
        assertEquals("waiters 12 > 5 for 5s", d.reason());
    }

    @Test
    void theLargestScaleUpWins() {
        Policy rate = new Policy(Metric.REQUEST_RATE, 50, 10, 8, 1, Duration.ofSeconds(10));
        Decision d = Scaling.decide(20, steady(30, 0.9, 0), List.of(Policy.utilization(), rate), BOUNDS, LONG_AGO,
                COOLDOWN);
        assertEquals(28, d.to());
        assertEquals(Metric.REQUEST_RATE, d.policy());
    }

    @Test
    void acquireLatencyIsAPolicyToo() {
        Policy latency = new Policy(Metric.ACQUIRE_LATENCY, 20, 2, 4, 1, Duration.ofSeconds(3));
        List<Sample> window = List.of(new Sample(0, 0.5, 0, 10, 35), new Sample(1_000_000_000L, 0.5, 0, 10, 40),
                new Sample(2_000_000_000L, 0.5, 0, 10, 30), new Sample(3_000_000_000L, 0.5, 0, 10, 25));
        Decision d = Scaling.decide(20, window, List.of(latency), BOUNDS, LONG_AGO, COOLDOWN);
        assertEquals(24, d.to());
        assertEquals("acquire-latency 25.0ms > 20.0ms for 3s", d.reason());
    }

    @Test
    void theServerCeilingCapsGrowthAndSaysSo() {
        Decision d = Scaling.decide(20, steady(30, 0.95, 0), UTILIZATION, new Bounds(10, 50, 22), LONG_AGO, COOLDOWN);
        assertEquals(22, d.to());
        assertTrue(d.atCeiling());
        assertTrue(d.reason().endsWith(", held at the server's ceiling of 22"), d.reason());

        Decision held = Scaling.decide(22, steady(30, 0.95, 0), UTILIZATION, new Bounds(10, 50, 22), LONG_AGO,
                COOLDOWN);
        assertEquals(Decision.Direction.NONE, held.direction());
        assertTrue(held.atCeiling(), "at the ceiling, wanting more");
    }

    @Test
    void aCeilingAboveMaxIsNotTheReason() {
        Decision d = Scaling.decide(48, steady(30, 0.95, 0), UTILIZATION, new Bounds(10, 50, 80), LONG_AGO, COOLDOWN);
        assertFalse(d.atCeiling());
        assertEquals(50, d.to());
    }

    @Test
    void noSamplesNoChange() {
        assertEquals(20, Scaling.decide(20, List.of(), UTILIZATION, BOUNDS, LONG_AGO, COOLDOWN).to());
    }
}
