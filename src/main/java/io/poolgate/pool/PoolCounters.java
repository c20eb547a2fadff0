package io.poolgate.pool;

/** The pool's event counters since start; the pool's lock guards them. */
final class PoolCounters {

    long acquired;
    long firstUses;
    long waitNanos;
    long acquireErrors;
    long timeouts;
    long rejected;
    long releasedOk;
    long releasedBroken;
    long created;
    long createFailures;
    long destroyed;
    long leaks;

    PoolSnapshot.Counters snapshot() {
        return new PoolSnapshot.Counters(acquired, firstUses, waitNanos, acquireErrors, timeouts, rejected,
                releasedOk, releasedBroken, created, createFailures, destroyed, leaks);
    }
}
