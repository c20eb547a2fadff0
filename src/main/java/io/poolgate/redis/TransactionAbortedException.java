package io.poolgate.redis;

/** Redis refused a command of a MULTI/EXEC transaction while queueing it: nothing was run. */
public final class TransactionAbortedException extends RuntimeException {

    private final int index;
    private final String refusal;

    TransactionAbortedException(int index, String refusal) {
        super("transaction aborted, nothing was run: command " + index + " was refused: " + refusal, null, false,
                false);
        this.index = index;
        this.refusal = refusal;
    }

    /** The 0-based index of the refused command. */
    public int index() {
        return index;
    }

    /** Redis's error for it, e.g. {@code ERR wrong number of arguments for 'get' command}. */
    public String refusal() {
        return refusal;
    }
}
