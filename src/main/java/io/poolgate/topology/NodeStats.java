package io.poolgate.topology;

import java.util.concurrent.atomic.LongAdder;

/**
 * What requests see of one node, for the performance-based balancer and the status API: EWMA
 * latency, throughput and error rate. The hot path only adds to counters; {@link #sample} folds
 * each window into the averages (weight {@value #ALPHA} for the newest window), so a node's
 * figures follow it within a few samples. A window without requests leaves latency and error
 * rate as they were.
 */
public final class NodeStats {

    static final double ALPHA = 0.3;

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private static final int WAIT_BUCKETS = 32;
    private final LongAdder[] waits = new LongAdder[WAIT_BUCKETS];

    public NodeStats() {
        for (int i = 0; i < WAIT_BUCKETS; i++) {
            waits[i] = new LongAdder();
        }
    }
    // written by sample() only, read by anyone
    private volatile double latencyMillis;
    private volatile double throughput;
    private volatile double errorRate;
    private boolean measured;
    private long lastSample = Long.MIN_VALUE;
    private long lastRequests;
    private long lastErrors;
    private long lastNanos;

    /** One request finished on the node. Thread-safe, lock-free. */
    public void record(long requestNanos, boolean failed) {
        requests.increment();
        nanos.add(requestNanos);
        if (failed) {
            errors.increment();
        }
    }

    /** Folds the requests since the last sample into the averages. One caller at a time. */
    public synchronized void sample(long now) {
        long count = requests.sum();
        long failed = errors.sum();
        long total = nanos.sum();
        if (lastSample != Long.MIN_VALUE && now > lastSample) {
            long window = count - lastRequests;
            throughput = throughput + ALPHA * (window / ((now - lastSample) / 1e9) - throughput);
            if (window > 0) {
                double latency = (total - lastNanos) / 1e6 / window;
                double rate = (double) (failed - lastErrors) / window;
                // the first window with requests is taken as it is: an average of nothing would drag it to 0
                latencyMillis = measured ? latencyMillis + ALPHA * (latency - latencyMillis) : latency;
                errorRate = measured ? errorRate + ALPHA * (rate - errorRate) : rate;
                measured = true;
            }
        }
        lastSample = now;
        lastRequests = count;
        lastErrors = failed;
        lastNanos = total;
    }

    /** Mean request latency, EWMA over windows; 0 until a request has been seen. */
    public double latencyMillis() {
        return latencyMillis;
    }

    /** Requests completed per second, EWMA over windows. */
    public double throughput() {
        return throughput;
    }

    /** Share of requests that failed, EWMA over windows. */
    public double errorRate() {
        return errorRate;
    }

    /**
     * One acquisition's wait, for the scaler's acquire-latency policy: counted in power-of-two
     * buckets of microseconds (a LongAdder each, no lock on the hot path).
     */
    public void recordWait(long waitedNanos) {
        long micros = Math.max(1, waitedNanos / 1_000);
        waits[Math.min(WAIT_BUCKETS - 1, 63 - Long.numberOfLeadingZeros(micros))].increment();
    }

    /**
     * The 95th percentile of the waits recorded since the previous call, in milliseconds (the upper
     * bound of its power-of-two bucket: at most twice the real value); 0 when none were. Resets.
     */
    public double drainWaitP95Millis() {
        long[] counts = new long[WAIT_BUCKETS];
        long total = 0;
        for (int i = 0; i < WAIT_BUCKETS; i++) {
            counts[i] = waits[i].sumThenReset();
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * 0.95);
        long seen = 0;
        for (int i = 0; i < WAIT_BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (1L << (i + 1)) / 1000.0;
            }
        }
        return (1L << WAIT_BUCKETS) / 1000.0;
    }

    /** Requests completed since start. */
    public long requests() {
        return requests.sum();
    }
}
