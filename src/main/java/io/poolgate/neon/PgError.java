package io.poolgate.neon;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * A PostgreSQL ErrorResponse, every field as the server sent it
 * (https://www.postgresql.org/docs/current/protocol-error-fields.html).
 */
record PgError(Map<Character, String> fields) {

    static PgError read(ByteBuf body) {
        Map<Character, String> fields = new HashMap<>();
        while (body.isReadable()) {
            byte code = body.readByte();
            if (code == 0) {
                break;
            }
            fields.put((char) code, Exchange.cString(body));
        }
        return new PgError(fields);
    }

    /** The field with this one-letter code, or null. */
    String field(char code) {
        return fields.get(code);
    }

    String message() {
        return fields.getOrDefault('M', "");
    }

    String code() {
        return fields.get('C');
    }
}
