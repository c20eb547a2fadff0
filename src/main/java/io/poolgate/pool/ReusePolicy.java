package io.poolgate.pool;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a connection may be lent again. Pure decisions over a connection's age, idle time and
 * use count; the {@link Pool} applies them.
 *
 * @param idleTimeout       an idle connection above the pool's target size is closed after this long
 * @param maxLifetime       a connection is retired after this long (minus up to 2.5% jitter); zero: never
 * @param maxUses           a connection is retired after this many borrows; zero: never
 * @param validateAfterIdle a connection idle longer than this is checked before it is lent; zero: always
 */
public record ReusePolicy(Duration idleTimeout, Duration maxLifetime, long maxUses, Duration validateAfterIdle) {

    /** Jitter spreads expiry so connections created together do not all close together (HikariCP's 2.5%). */
    private static final int JITTER_DIVISOR = 40;

    /** The nano time at which a connection created at {@code createdAt} expires; {@code Long.MAX_VALUE} for never. */
    long expiresAt(long createdAt) {
        long lifetime = maxLifetime.toNanos();
        if (lifetime <= 0) {
            return Long.MAX_VALUE;
        }
        long jitter = lifetime / JITTER_DIVISOR;
        return createdAt + lifetime - (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter) : 0);
    }

    boolean isExpired(PooledConnection<?> connection, long now) {
        return now - connection.expiresAt >= 0;
    }

    boolean isWornOut(PooledConnection<?> connection) {
        return maxUses > 0 && connection.uses >= maxUses;
    }

    boolean isIdleTooLong(PooledConnection<?> connection, long now) {
        return now - connection.lastUsedAt >= idleTimeout.toNanos();
    }

    boolean needsValidation(PooledConnection<?> connection, long now) {
        return now - connection.lastUsedAt >= validateAfterIdle.toNanos();
    }
}
