package io.poolgate.topology;

/**
 * How much each figure counts in the performance-based score (the origin documents' defaults:
 * latency 0.4, throughput 0.3, error rate 0.2, in-flight load 0.1). Each is at least 0 and they
 * do not all vanish; they need not add up to 1.
 */
public record PerformanceWeights(double latency, double throughput, double errorRate, double load) {

    public static final PerformanceWeights DEFAULT = new PerformanceWeights(0.4, 0.3, 0.2, 0.1);

    public PerformanceWeights {
        for (double w : new double[] { latency, throughput, errorRate, load }) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("performance weights must be finite and >= 0, got " + w);
            }
        }
        if (latency + throughput + errorRate + load <= 0) {
            throw new IllegalArgumentException("at least one performance weight must be > 0");
        }
    }
}
