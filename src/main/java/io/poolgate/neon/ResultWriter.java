package io.poolgate.neon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.poolgate.postgres.ResultLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes Neon's answer as the rows arrive: per statement {@code {"rowAsArray", "fields", "rows",
 * "command", "rowCount"}}, inside {@code {"results": [...]}} for a transaction. Values are the
 * server's text, or with typed output the JSON Neon makes of it ({@link TextValues}). Past the
 * result limits, writing stops and the caller answers 507 once the server is done.
 */
final class ResultWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private final ResultLimits limits;
    private final boolean raw;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final JsonGenerator json;
    private List<Field> fields;
    private boolean arrayMode;
    private long rows;
    private boolean overflow;

    ResultWriter(ResultLimits limits, boolean raw) {
        this.limits = limits;
        this.raw = raw;
        try {
            this.json = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startResults() {
        write(() -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
        });
    }

    void endResults() {
        write(() -> {
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    void startStatement(boolean rowsAsArrays) {
        fields = null;
        arrayMode = rowsAsArrays;
        write(() -> {
            json.writeStartObject();
            json.writeBooleanField("rowAsArray", rowsAsArrays);
        });
    }

    void fields(List<Field> described) {
        fields = described;
        write(() -> {
            json.writeArrayFieldStart("fields");
            for (Field field : described) {
                json.writeStartObject();
                json.writeStringField("name", field.name());
                json.writeNumberField("dataTypeID", field.typeId());
                json.writeNumberField("tableID", field.tableId());
                json.writeNumberField("columnID", field.columnId());
                json.writeNumberField("dataTypeSize", field.typeSize());
                json.writeNumberField("dataTypeModifier", field.typeModifier());
                json.writeStringField("format", "text");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
        });
    }

    /** One DataRow: a count, then each value's length (-1 for NULL) and text. */
    void row(ByteBuf body) {
        rows++;
        if (overflow) {
            return;
        }
        if (rows > limits.maxRows() || out.size() + json.getOutputBuffered() > limits.maxBytes()) {
            overflow = true;
            return;
        }
        write(() -> {
            int count = body.readUnsignedShort();
            if (arrayMode) {
                json.writeStartArray();
            } else {
                json.writeStartObject();
            }
            for (int i = 0; i < count; i++) {
                if (!arrayMode) {
                    json.writeFieldName(fields.get(i).name());
                }
                int length = body.readInt();
                if (length < 0) {
                    json.writeNull();
                } else if (raw) {
                    byte[] text = new byte[length];
                    body.readBytes(text);
                    json.writeUTF8String(text, 0, length);
                } else {
                    String text = body.readCharSequence(length, StandardCharsets.UTF_8).toString();
                    TextValues.write(json, fields.get(i).typeId(), text);
                }
            }
            if (arrayMode) {
                json.writeEndArray();
            } else {
                json.writeEndObject();
            }
        });
    }

    /** Ends the statement's object with its command tag's name and count (Neon's reading of the tag). */
    void endStatement(String tag) {
        write(() -> {
            if (fields == null) {
                json.writeArrayFieldStart("fields");
                json.writeEndArray();
                json.writeArrayFieldStart("rows");
            }
            json.writeEndArray();
            int space = tag.indexOf(' ');
            String command = space < 0 ? tag : tag.substring(0, space);
            Long count = space < 0 ? null : count(command, tag.substring(space + 1));
            json.writeStringField("command", command);
            if (count == null) {
                json.writeNullField("rowCount");
            } else {
                json.writeNumberField("rowCount", count);
            }
            json.writeEndObject();
        });
    }

    /** The rows count of a tag: {@code INSERT oid count}, otherwise {@code NAME count}; null when there is none. */
    static Long count(String command, String rest) {
        String number = rest;
        if (command.equals("INSERT")) {
            int space = rest.indexOf(' ');
            if (space < 0) {
                return null;
            }
            number = rest.substring(space + 1);
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return null; // CREATE TABLE, DISCARD ALL, ...: a word, not a count
        }
    }

    boolean overflowed() {
        return overflow;
    }

    String overflow() {
        if (rows > limits.maxRows()) {
            return "the result has " + rows + " rows, more than max-rows (" + limits.maxRows()
                    + "): add a LIMIT, or raise poolgate.limits.max-rows";
        }
        return "the result is larger than max-response-bytes (" + limits.maxBytes()
                + " bytes): select fewer columns or rows, or raise poolgate.limits.max-response-bytes";
    }

    byte[] toBytes() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void write(JsonWrite step) {
        if (overflow) {
            return;
        }
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface JsonWrite {
        void run() throws IOException;
    }
}
