package io.poolgate.pool;

/**
 * A consistent picture of one pool's sizes and counters, taken under its lock.
 *
 * @param total          live connections: in use + idle + connecting
 * @param inUse          lent, or being validated / reset for a borrower
 * @param idle           ready to lend
 * @param connecting     being opened
 * @param waiting        borrowers in the queue
 * @param target         the size the pool keeps warm (between min and max)
 * @param acquired       leases handed out since start
 * @param firstUses      leases that got a connection never lent before
 * @param created        connections opened since start
 * @param createFailures connection attempts that failed since start
 * @param destroyed      connections retired since start
 * @param timeouts       borrowers that gave up waiting
 * @param rejected       borrowers turned away because the queue was full
 * @param leaks          leases reported as held past the leak threshold
 */
public record PoolSnapshot(String name, int total, int inUse, int idle, int connecting, int waiting,
        int min, int max, int target, long acquired, long firstUses, long created, long createFailures, long destroyed,
        long timeouts, long rejected, long leaks) {

    /** In-use connections as a fraction of the maximum size. */
    public double utilization() {
        return max == 0 ? 0 : (double) inUse / max;
    }

    /** The fraction of acquisitions served by a connection that had been lent before. */
    public double reuseRatio() {
        return acquired == 0 ? 0 : 1.0 - (double) firstUses / acquired;
    }

    /** The state as error messages quote it. */
    public String describe() {
        return "total=" + total + ", in-use=" + inUse + ", idle=" + idle + ", connecting=" + connecting
                + ", waiting=" + waiting;
    }
}
