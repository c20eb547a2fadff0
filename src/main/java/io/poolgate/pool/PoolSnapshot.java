package io.poolgate.pool;

/**
 * A consistent picture of one pool's sizes and counters, taken under its lock.
 *
 * @param total      live connections: in use + idle + connecting
 * @param inUse      lent, or being validated / reset for a borrower
 * @param idle       ready to lend
 * @param connecting being opened
 * @param waiting    borrowers in the queue
 * @param target     the size the pool keeps warm (between min and max)
 * @param pinned     connections pinned by session leases
 * @param paused     whether lending is paused
 * @param counters   events since start
 */
public record PoolSnapshot(String name, int total, int inUse, int idle, int connecting, int waiting, int min, int max,
        int target, int pinned, boolean paused, Counters counters) {

    /**
     * Events since start.
     *
     * @param acquired       leases handed out
     * @param firstUses      leases that got a connection never lent before
     * @param waitNanos      total time borrowers waited for the leases handed out
     * @param acquireErrors  borrowers failed because no connection could be opened or the pool closed
     * @param timeouts       borrowers that gave up waiting
     * @param rejected       borrowers turned away because the queue was full
     * @param releasedOk     returns that went back into service (directly or after a successful reset)
     * @param releasedBroken returns that had to be closed: broken, or the reset failed
     * @param created        connections opened
     * @param createFailures connection attempts that failed
     * @param destroyed      connections retired
     * @param leaks          leases reported as held past the leak threshold
     */
    public record Counters(long acquired, long firstUses, long waitNanos, long acquireErrors, long timeouts,
            long rejected, long releasedOk, long releasedBroken, long created, long createFailures, long destroyed,
            long leaks) {
    }

    /** The figures of a pool's nodes added up (sizes and bounds are per node, so the pool's are their sums). */
    public static PoolSnapshot sum(String name, java.util.List<PoolSnapshot> nodes) {
        int total = 0, inUse = 0, idle = 0, connecting = 0, waiting = 0, min = 0, max = 0, target = 0, pinned = 0;
        boolean paused = false;
        long[] c = new long[12];
        for (PoolSnapshot s : nodes) {
            total += s.total;
            inUse += s.inUse;
            idle += s.idle;
            connecting += s.connecting;
            waiting += s.waiting;
            min += s.min;
            max += s.max;
            target += s.target;
            pinned += s.pinned;
            paused |= s.paused;
            Counters k = s.counters;
            long[] v = { k.acquired(), k.firstUses(), k.waitNanos(), k.acquireErrors(), k.timeouts(), k.rejected(),
                k.releasedOk(), k.releasedBroken(), k.created(), k.createFailures(), k.destroyed(), k.leaks() };
            for (int i = 0; i < v.length; i++) {
                c[i] += v[i];
            }
        }
        return new PoolSnapshot(name, total, inUse, idle, connecting, waiting, min, max, target, pinned, paused,
                new Counters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]));
    }

    /** In-use connections as a fraction of the maximum size. */
    public double utilization() {
        return max == 0 ? 0 : (double) inUse / max;
    }

    /** The fraction of acquisitions served by a connection that had been lent before. */
    public double reuseRatio() {
        return counters.acquired() == 0 ? 0 : 1.0 - (double) counters.firstUses() / counters.acquired();
    }

    /** The state as error messages quote it. */
    public String describe() {
        return "total=" + total + ", in-use=" + inUse + ", idle=" + idle + ", connecting=" + connecting
                + ", waiting=" + waiting;
    }
}
