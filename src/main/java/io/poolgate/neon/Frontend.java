package io.poolgate.neon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The frontend messages of PostgreSQL's protocol that the text protocol sends
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html). Strings are UTF-8, the
 * client encoding Vert.x sets at start-up.
 */
final class Frontend {

    private Frontend() {
    }

    /**
     * One statement in one round trip, as Neon's proxy sends it: Parse the unnamed statement with no
     * parameter types, Describe it, Bind every parameter as text (null as SQL NULL) asking for every
     * result column as text, Execute, Sync.
     */
    static ByteBuf statement(ByteBufAllocator alloc, String sql, List<String> params) {
        ByteBuf out = alloc.buffer(64 + sql.length() * 3);
        // Parse: unnamed statement, the query, no parameter types
        int start = begin(out, 'P');
        out.writeByte(0);
        cString(out, sql);
        out.writeShort(0);
        end(out, start);
        // Describe the unnamed statement: ParameterDescription, then RowDescription or NoData
        start = begin(out, 'D');
        out.writeByte('S');
        out.writeByte(0);
        end(out, start);
        // Bind: unnamed portal and statement; no parameter format codes (all text); values; no result format codes (all text)
        start = begin(out, 'B');
        out.writeByte(0);
        out.writeByte(0);
        out.writeShort(0);
        out.writeShort(params.size());
        for (String param : params) {
            if (param == null) {
                out.writeInt(-1);
            } else {
                int at = out.writerIndex();
                out.writeInt(0);
                int length = out.writeCharSequence(param, StandardCharsets.UTF_8);
                out.setInt(at, length);
            }
        }
        out.writeShort(0);
        end(out, start);
        // Execute the unnamed portal, all rows
        start = begin(out, 'E');
        out.writeByte(0);
        out.writeInt(0);
        end(out, start);
        sync(out);
        return out;
    }

    /** A simple Query: {@code BEGIN ...}, {@code COMMIT}, {@code ROLLBACK}. */
    static ByteBuf query(ByteBufAllocator alloc, String sql) {
        ByteBuf out = alloc.buffer(8 + sql.length());
        int start = begin(out, 'Q');
        cString(out, sql);
        end(out, start);
        return out;
    }

    /** CopyFail, then the Sync the server waits for once it has failed the COPY (it ignores Syncs in copy-in mode). */
    static ByteBuf copyFail(ByteBufAllocator alloc, String reason) {
        ByteBuf out = alloc.buffer(16 + reason.length());
        int start = begin(out, 'f');
        cString(out, reason);
        end(out, start);
        sync(out);
        return out;
    }

    private static void sync(ByteBuf out) {
        out.writeByte('S');
        out.writeInt(4);
    }

    private static int begin(ByteBuf out, char type) {
        out.writeByte(type);
        int start = out.writerIndex();
        out.writeInt(0);
        return start;
    }

    private static void end(ByteBuf out, int start) {
        out.setInt(start, out.writerIndex() - start);
    }

    private static void cString(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeByte(0);
    }
}
