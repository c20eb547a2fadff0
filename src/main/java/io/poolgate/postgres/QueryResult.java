package io.poolgate.postgres;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outcome of one statement: its columns, its rows already written as JSON, and how many rows
 * it returned or affected. Written as {@code {columns, rows, rowCount, durationMs}}.
 */
public final class QueryResult {

    private static final byte[] COLUMNS = "{\"columns\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROWS = ",\"rows\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE = "\",\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    /** A column's type as JSON string content, by the driver's type name: as many entries as types. */
    private static final Map<String, byte[]> TYPES = new ConcurrentHashMap<>();

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

    /**
     * Appends {@code {"columns":[...],"rows":[...],"rowCount":n,"durationMs":x}} to {@code out}. The
     * columns are written by hand (a JSON generator per response cost more than the rows of a small
     * result): names escaped by Jackson's {@link JsonStringEncoder}, type names from {@link #TYPES}.
     */
    void writeTo(ByteArrayOutputStream out) throws IOException {
        out.write(COLUMNS);
        out.write('[');
        for (int i = 0; i < columns.size(); i++) {
            ColumnDescriptor column = columns.get(i);
            if (i > 0) {
                out.write(',');
            }
            out.write(NAME);
            out.write(JsonStringEncoder.getInstance().quoteAsUTF8(column.name()));
            out.write(TYPE);
            out.write(TYPES.computeIfAbsent(column.typeName(), QueryResult::typeName));
            out.write('"');
            out.write('}');
        }
        out.write(']');
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

    /** {@code INT4} is {@code int4}, {@code INT4_ARRAY} is {@code int4[]}; escaped for a JSON string. */
    private static byte[] typeName(String driverName) {
        String name = driverName.toLowerCase(Locale.ROOT);
        name = name.endsWith("_array") ? name.substring(0, name.length() - 6) + "[]" : name;
        return JsonStringEncoder.getInstance().quoteAsUTF8(name);
    }
}
