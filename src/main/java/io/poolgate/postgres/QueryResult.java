package io.poolgate.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one statement: its columns, its rows already written as JSON, and how many rows
 * it returned or affected. Written as {@code {columns, rows, rowCount, durationMs}}.
 */
public final class QueryResult {

    private static final byte[] COLUMNS = "{\"columns\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROWS = ",\"rows\":".getBytes(StandardCharsets.US_ASCII);

    private final List<ColumnDescriptor> columns;
    private final byte[] rows;
    private final long rowCount;
    private final long nanos;

    QueryResult(List<ColumnDescriptor> columns, byte[] rows, long rowCount, long nanos) {
        this.columns = columns == null ? List.of() : columns;
        this.rows = rows;
        this.rowCount = rowCount;
        this.nanos = nanos;
    }

    /** Rows returned, or rows affected for INSERT / UPDATE / DELETE without RETURNING. */
    public long rowCount() {
        return rowCount;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** Appends {@code {"columns":[...],"rows":[...],"rowCount":n,"durationMs":x}} to {@code out}. */
    void writeTo(ByteArrayOutputStream out) throws IOException {
        out.write(COLUMNS);
        try (JsonGenerator g = RowsWriter.JSON.createGenerator(out)) {
            g.writeStartArray();
            for (ColumnDescriptor column : columns) {
                g.writeStartObject();
                g.writeStringField("name", column.name());
                g.writeStringField("type", typeName(column));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.write(ROWS);
        out.write(rows);
        out.write((",\"rowCount\":" + rowCount + ",\"durationMs\":" + millis(nanos) + "}")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** This result alone as a response body. */
    public byte[] json() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.length + 128);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String typeName(ColumnDescriptor column) {
        String name = column.typeName().toLowerCase(Locale.ROOT);
        return name.endsWith("_array") ? name.substring(0, name.length() - 6) + "[]" : name;
    }
}
