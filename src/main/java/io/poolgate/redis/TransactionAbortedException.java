package io.poolgate.redis;

/** Redis refused a command of a MULTI/EXEC transaction while queueing it: nothing was run. */
public final class TransactionAbortedException extends RuntimeException {

    TransactionAbortedException(String message) {
        super(message, null, false, false);
    }
}
