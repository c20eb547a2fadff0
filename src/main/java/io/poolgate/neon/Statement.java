package io.poolgate.neon;

import io.netty.buffer.ByteBuf;

/**
 * One statement on the text protocol: Parse, Describe, Bind, Execute, Sync, and its answers. The
 * row description and the rows go to the {@link ResultWriter} as they arrive; the command tag is
 * kept for the answer's {@code command} and {@code rowCount}.
 */
final class Statement extends Exchange {

    private final ResultWriter writer;
    private boolean described;
    private boolean copyOut;
    private String tag;

    Statement(ResultWriter writer) {
        this.writer = writer;
    }

    @Override
    void answer(byte type, ByteBuf body) {
        switch (type) {
            case '1', 't', '2' -> {
                // ParseComplete, ParameterDescription, BindComplete
            }
            case 'T' -> {
                described = true;
                writer.fields(Field.readDescription(body));
            }
            case 'n' -> described = true; // NoData: the statement returns no rows
            case 'D' -> {
                if (!described) {
                    throw unexpected(type, "before the row description");
                }
                writer.row(body);
            }
            case 'H' -> copyOut = true; // CopyOutResponse: COPY ... TO STDOUT, whose data has no place in the answer
            case 'd', 'c' -> {
                // CopyData, CopyDone of a COPY TO STDOUT: dropped
            }
            case 'C' -> tag = cString(body);
            case 'I' -> tag = ""; // EmptyQueryResponse: the query was blank
            default -> throw unexpected(type, "answering a statement");
        }
    }

    /** Whether the statement was a {@code COPY ... TO STDOUT}, whose rows the answer cannot hold. */
    boolean copiedOut() {
        return copyOut;
    }

    /** The command tag, e.g. {@code INSERT 0 3}; empty for a blank query. */
    String tag() {
        return tag == null ? "" : tag;
    }
}
