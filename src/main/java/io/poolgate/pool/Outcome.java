package io.poolgate.pool;

/** What the borrower knows about a connection when it gives it back. */
public enum Outcome {
    /** Used as intended and known to be as it was lent: goes straight back to idle. */
    CLEAN,
    /** State may have changed (open transaction, session settings, cancelled work): reset before reuse. */
    DIRTY,
    /** Unusable (socket error, protocol error): close it and create a replacement. */
    BROKEN
}
