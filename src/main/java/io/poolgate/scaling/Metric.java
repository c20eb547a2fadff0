package io.poolgate.scaling;

import java.util.Locale;

/** What a scaling policy watches, read from a {@link Sample}. */
public enum Metric {
    /** Connections in use over connections open (0..1). */
    UTILIZATION,
    /** Requests waiting for a connection. */
    WAITERS,
    /** Acquisitions per second. */
    REQUEST_RATE,
    /** The 95th percentile of acquisition waits in the sample interval, in milliseconds. */
    ACQUIRE_LATENCY;

    double of(Sample sample) {
        return switch (this) {
            case UTILIZATION -> sample.utilization();
            case WAITERS -> sample.waiters();
            case REQUEST_RATE -> sample.requestRate();
            case ACQUIRE_LATENCY -> sample.acquireP95Millis();
        };
    }

    /** The configuration spelling: {@code utilization}, {@code waiters}, {@code request-rate}, {@code acquire-latency}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The metric spelled {@code id}; null if none. */
    public static Metric of(String id) {
        for (Metric metric : values()) {
            if (metric.id().equals(id)) {
                return metric;
            }
        }
        return null;
    }

    /** How a value of this metric reads in a log line. */
    String format(double value) {
        return switch (this) {
            case UTILIZATION -> String.format(Locale.ROOT, "%.2f", value);
            case WAITERS -> String.format(Locale.ROOT, "%.0f", value);
            case REQUEST_RATE -> String.format(Locale.ROOT, "%.0f/s", value);
            case ACQUIRE_LATENCY -> String.format(Locale.ROOT, "%.1fms", value);
        };
    }
}
