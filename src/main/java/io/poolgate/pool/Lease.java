package io.poolgate.pool;

import io.poolgate.topology.Node;

/**
 * A borrower's hold on one pooled connection. The contract is two calls: use {@link #connection()},
 * then {@link #release(Outcome)} exactly once, on every path. Releasing twice fails loudly.
 */
public final class Lease<C> {

    private final Pool<C> pool;
    final PooledConnection<C> entry;
    final Owner owner;
    final long acquiredAt;
    /** Guarded by the pool's lock. */
    boolean released;
    /** Guarded by the pool's lock. */
    boolean leakReported;
    /** Guarded by the pool's lock. */
    boolean pinned;
    /** Guarded by the pool's lock: when {@link #onDeadline} is due. */
    long deadline;
    /** Guarded by the pool's lock: what to do at the deadline; null when none is armed (or it ran). */
    Runnable onDeadline;
    private volatile Object activity = "";

    Lease(Pool<C> pool, PooledConnection<C> entry, Owner owner, long acquiredAt) {
        this.pool = pool;
        this.entry = entry;
        this.owner = owner;
        this.acquiredAt = acquiredAt;
    }

    public C connection() {
        return entry.connection;
    }

    /** The name of the pool the connection belongs to. */
    public String pool() {
        return pool.name();
    }

    public Node node() {
        return entry.node;
    }

    public Owner owner() {
        return owner;
    }

    /** Pins the connection to a session lease: counted as such and exempt from leak reports. */
    public void pin() {
        pool.pin(this);
    }

    /**
     * Has the pool run {@code onDeadline} (once, off its lock) if the lease is still held
     * {@code inNanos} from now: a bound on the holder's work that costs no timer per request, checked
     * by the pool's housekeeping (so it fires up to one housekeeping interval late). Re-arming replaces
     * the previous one, {@code null} disarms it, and so does releasing the lease.
     */
    public void deadline(long inNanos, Runnable onDeadline) {
        pool.deadline(this, inNanos, onDeadline);
    }

    /**
     * Says what the holder is running now, for leak reports and the status API: any object whose
     * {@code toString()} says it, called only when one of them asks (never on the request's path).
     */
    public void describe(Object activity) {
        this.activity = activity;
    }

    String activity() {
        return String.valueOf(activity);
    }

    /** Records one request made through this lease (count, errors, latency) on the connection. */
    public void recordRequest(long nanos, boolean failed) {
        entry.recordRequest(nanos, failed);
        pool.completed(nanos, failed);
    }

    /** Gives the connection back; the outcome says whether it needs a reset or a replacement. */
    public void release(Outcome outcome) {
        pool.release(this, outcome);
    }

    @Override
    public String toString() {
        return "lease of " + entry + " by " + owner;
    }
}
