package io.poolgate.neon;

import io.netty.buffer.ByteBuf;
import io.poolgate.neon.WireTap.WireException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request on the text protocol and the backend's answers up to its ReadyForQuery. Runs on the
 * connection's event loop, message by message; the subclass reads the answers its request asks for.
 */
abstract class Exchange {

    private final CompletableFuture<Exchange> done = new CompletableFuture<>();
    private PgError error;
    private char transactionStatus;

    /** Handles one backend message; true when it was the ReadyForQuery that ends the exchange. */
    final boolean message(byte type, ByteBuf body) {
        switch (type) {
            case 'Z' -> {
                transactionStatus = (char) body.getByte(body.readerIndex());
                return true;
            }
            case 'E' -> {
                if (error == null) {
                    error = PgError.read(body);
                }
            }
            case 'N', 'S', 'A' -> {
                // a notice, a changed server parameter, a notification: nothing to answer
            }
            case 'G' -> {
                // CopyInResponse: the tap has answered CopyFail; the server's error follows
            }
            default -> answer(type, body);
        }
        return false;
    }

    /** One answer to this exchange's request (not ErrorResponse, ReadyForQuery, or asynchronous messages). */
    abstract void answer(byte type, ByteBuf body);

    /** The server's error, if it reported one; the rest of the request was skipped up to the Sync. */
    final PgError error() {
        return error;
    }

    /** The transaction status the server reported at the end: I (idle), T (in a transaction), E (failed one). */
    final char transactionStatus() {
        return transactionStatus;
    }

    final CompletionStage<Exchange> done() {
        return done;
    }

    final void complete() {
        done.complete(this);
    }

    final void fail(Throwable cause) {
        done.completeExceptionally(cause);
    }

    static WireException unexpected(byte type, String during) {
        return new WireException("PostgreSQL sent an unexpected message '" + (char) type + "' " + during);
    }

    /** A NUL-terminated UTF-8 string at the reader index, which moves past it. */
    static String cString(ByteBuf body) {
        int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new WireException("PostgreSQL sent a string without its terminating NUL");
        }
        String text = body.toString(body.readerIndex(), end - body.readerIndex(), StandardCharsets.UTF_8);
        body.readerIndex(end + 1);
        return text;
    }

    /** A simple Query ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}): only its command tag matters. */
    static final class Command extends Exchange {

        private final String sql;
        private String tag;

        Command(String sql) {
            this.sql = sql;
        }

        @Override
        void answer(byte type, ByteBuf body) {
            switch (type) {
                case 'C' -> tag = cString(body);
                case 'I', 'T', 'D', 'H', 'd', 'c' -> {
                    // an empty query, or rows nobody asked for
                }
                default -> throw unexpected(type, "answering " + sql);
            }
        }

        String tag() {
            return tag;
        }
    }
}
