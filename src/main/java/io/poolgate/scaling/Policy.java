package io.poolgate.scaling;

import java.time.Duration;

/**
 * One scaling rule: grow by {@code upIncrement} when {@code metric} has stayed above
 * {@code upThreshold} for {@code sustain}; shrink by {@code downIncrement} when it has stayed
 * below {@code downThreshold} that long (and every other policy agrees).
 */
public record Policy(Metric metric, double upThreshold, double downThreshold, int upIncrement, int downIncrement,
        Duration sustain) {

    /** The origin documents' rule: utilization above 0.8 for 30 s adds 5, below 0.3 removes 2. */
    public static Policy utilization() {
        return new Policy(Metric.UTILIZATION, 0.8, 0.3, 5, 2, Duration.ofSeconds(30));
    }
}
