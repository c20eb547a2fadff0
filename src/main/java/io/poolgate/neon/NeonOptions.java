package io.poolgate.neon;

/**
 * The Neon request headers that shape the answer and the transaction. Only a literal {@code true}
 * turns a flag on, as in Neon's proxy.
 *
 * @param rawText    {@code Neon-Raw-Text-Output}: every value as PostgreSQL's text
 * @param arrayMode  {@code Neon-Array-Mode}: rows as arrays unless a query says otherwise
 * @param isolation  {@code Neon-Batch-Isolation-Level} as SQL ({@code SERIALIZABLE}, ...), or null
 * @param readOnly   {@code Neon-Batch-Read-Only}
 * @param deferrable {@code Neon-Batch-Deferrable}
 */
record NeonOptions(boolean rawText, boolean arrayMode, Isolation isolation, boolean readOnly, boolean deferrable) {

    static final String RAW_TEXT = "Neon-Raw-Text-Output";
    static final String ARRAY_MODE = "Neon-Array-Mode";
    static final String ISOLATION = "Neon-Batch-Isolation-Level";
    static final String READ_ONLY = "Neon-Batch-Read-Only";
    static final String DEFERRABLE = "Neon-Batch-Deferrable";

    /** The isolation levels by their header value. */
    enum Isolation {
        Serializable("SERIALIZABLE"), ReadUncommitted("READ UNCOMMITTED"), ReadCommitted("READ COMMITTED"),
        RepeatableRead("REPEATABLE READ");

        final String sql;

        Isolation(String sql) {
            this.sql = sql;
        }
    }

    static NeonOptions of(String rawText, String arrayMode, String isolation, String readOnly, String deferrable) {
        return new NeonOptions(isTrue(rawText), isTrue(arrayMode), isolation(isolation), isTrue(readOnly),
                isTrue(deferrable));
    }

    private static boolean isTrue(String header) {
        return "true".equals(header);
    }

    private static Isolation isolation(String header) {
        if (header == null) {
            return null;
        }
        for (Isolation level : Isolation.values()) {
            if (level.name().equals(header)) {
                return level;
            }
        }
        throw NeonException.badRequest("invalid isolation level: header " + ISOLATION + " is '" + header
                + "'; it takes Serializable, ReadUncommitted, ReadCommitted or RepeatableRead");
    }

    /** The BEGIN that opens a transaction with these options. */
    /** The same options for a read key: its transactions begin READ ONLY. */
    NeonOptions readOnlyTransaction() {
        return new NeonOptions(rawText, arrayMode, isolation, true, deferrable);
    }

    String begin() {
        StringBuilder begin = new StringBuilder("BEGIN");
        if (isolation != null) {
            begin.append(" ISOLATION LEVEL ").append(isolation.sql);
        }
        if (readOnly) {
            begin.append(" READ ONLY");
        }
        if (deferrable) {
            begin.append(" DEFERRABLE");
        }
        return begin.toString();
    }
}
