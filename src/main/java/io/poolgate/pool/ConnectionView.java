package io.poolgate.pool;

import java.time.Instant;

/**
 * One live connection as {@code GET /api/v1/pools/{pool}/sessions} shows it.
 *
 * @param uses           times it was lent
 * @param latencyMillis  exponentially weighted mean request latency
 * @param owner          who holds it, when lent
 * @param pinned         whether a session lease holds it
 */
public record ConnectionView(long id, String node, String state, Instant createdAt, Instant lastUsedAt, long uses,
        long requests, long errors, double latencyMillis, Owner owner, boolean pinned, String activity) {

    static ConnectionView of(PooledConnection<?> entry, long nanoNow, long wallNowMillis) {
        Lease<?> lease = entry.lease;
        return new ConnectionView(entry.id, entry.node.name(), entry.state.name().toLowerCase(),
                wall(entry.createdAt, nanoNow, wallNowMillis), wall(entry.lastUsedAt, nanoNow, wallNowMillis),
                entry.uses, entry.requests, entry.errors, Math.round(entry.latencyEwmaMillis * 1000) / 1000.0,
                lease == null ? null : lease.owner, lease != null && lease.pinned,
                lease == null ? null : lease.activity());
    }

    private static Instant wall(long nanos, long nanoNow, long wallNowMillis) {
        return Instant.ofEpochMilli(wallNowMillis - (nanoNow - nanos) / 1_000_000);
    }
}
