package io.poolgate.neon;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * One column of a RowDescription, as the server describes it. OIDs are unsigned 32-bit numbers.
 *
 * @param name           the column's name
 * @param tableId        the table's OID, or 0 for a computed column
 * @param columnId       the column's attribute number in its table, or 0
 * @param typeId         the data type's OID
 * @param typeSize       the type's size, negative for variable-width types
 * @param typeModifier   the type modifier (e.g. varchar(10) gives 14), -1 when none
 */
record Field(String name, long tableId, int columnId, long typeId, int typeSize, int typeModifier) {

    static List<Field> readDescription(ByteBuf body) {
        int count = body.readUnsignedShort();
        List<Field> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = Exchange.cString(body);
            long table = body.readUnsignedInt();
            int column = body.readShort();
            long type = body.readUnsignedInt();
            int size = body.readShort();
            int modifier = body.readInt();
            body.readShort(); // format code: always text here
            fields.add(new Field(name, table, column, type, size, modifier));
        }
        return fields;
    }
}
