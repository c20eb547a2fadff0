package io.poolgate.postgres;

/** Statement {@link #index()} of a batch failed; the whole batch was rolled back. */
public final class BatchException extends RuntimeException {

    private final int index;

    BatchException(int index, Throwable cause) {
        super("statement " + index + " failed, the batch was rolled back: " + cause.getMessage(), cause, false,
                false);
        this.index = index;
    }

    /** 0-based index of the statement that failed. */
    public int index() {
        return index;
    }
}
