package io.poolgate.session;

import io.poolgate.pool.Lease;
import io.poolgate.topology.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection pinned to one client across requests until it is released, idles past its idle
 * timeout, or reaches its max lifetime. Requests on it are serialised: while one runs, another
 * gets 409.
 */
public final class SessionLease {

    private final String id;
    private final Cluster<?> pool;
    private final Lease<?> lease;
    private final Instant createdAt;
    private final long createdNanos;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final String holder;
    private final boolean readOnly;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long lastUsedNanos;
    private volatile long requests;

    SessionLease(String id, Cluster<?> pool, Lease<?> lease, Duration idleTimeout, Duration maxLifetime,
            Holder holder) {
        this.id = id;
        this.pool = pool;
        this.lease = lease;
        this.createdAt = Instant.now();
        this.createdNanos = System.nanoTime();
        this.lastUsedNanos = createdNanos;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = maxLifetime;
        this.holder = holder.name();
        this.readOnly = holder.readOnly();
    }

    /**
     * Who opened a lease: only they may use it (anyone else is told there is no such lease).
     *
     * @param name     the credentials' name, null when authentication is off
     * @param readOnly whether every statement on the lease runs in a read-only transaction
     */
    public record Holder(String name, boolean readOnly) {

        public static final Holder ANYONE = new Holder(null, false);
    }

    String holder() {
        return holder;
    }

    /** Whether {@code name} opened this lease. */
    boolean heldBy(String name) {
        return java.util.Objects.equals(holder, name);
    }

    /** Whether every statement on the lease runs in a read-only transaction (read scope). */
    public boolean readOnly() {
        return readOnly;
    }

    public String id() {
        return id;
    }

    public Cluster<?> pool() {
        return pool;
    }

    /** The pinned connection's lease, typed by the caller who checked the pool's kind. */
    @SuppressWarnings("unchecked")
    public <C> Lease<C> lease() {
        return (Lease<C>) lease;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastUsedAt() {
        return createdAt.plusNanos(lastUsedNanos - createdNanos);
    }

    /** When the lease will be reclaimed if nobody uses it. */
    public Instant expiresAt() {
        Instant byIdle = lastUsedAt().plus(idleTimeout);
        Instant byLifetime = createdAt.plus(maxLifetime);
        return byIdle.isBefore(byLifetime) ? byIdle : byLifetime;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public boolean busy() {
        return busy.get();
    }

    public long requests() {
        return requests;
    }

    boolean begin() {
        return busy.compareAndSet(false, true);
    }

    void end() {
        requests++;
        lastUsedNanos = System.nanoTime();
        busy.set(false);
    }

    /** Why it should be reclaimed now, or null. */
    String reclaimReason(long now) {
        if (now - createdNanos >= maxLifetime.toNanos()) {
            return "reclaimed: its max lifetime (" + maxLifetime.toSeconds() + "s) was reached";
        }
        if (now - lastUsedNanos >= idleTimeout.toNanos()) {
            return "reclaimed after " + idleTimeout.toSeconds() + "s without a request (idle timeout)";
        }
        return null;
    }
}
