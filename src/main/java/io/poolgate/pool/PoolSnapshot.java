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
