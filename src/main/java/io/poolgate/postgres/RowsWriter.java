package io.poolgate.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collector;

/**
 * Writes rows to JSON as the driver decodes them, so a result is never held twice (rows and JSON)
 * and its size is checked as it grows: past the limits, writing stops and the rows are only
 * counted, and the statement fails with {@link ResultTooLargeException} once the server is done.
 * One writer serves every statement of a request (a batch shares the limits).
 */
final class RowsWriter implements Collector<Row, RowsWriter, RowsWriter> {

    static final JsonFactory JSON = new JsonFactory();

    private final RowMode mode;
    private final ResultLimits limits;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private long rowsSoFar;
    private long bytesSoFar;
    private long statementRows;
    private boolean overflow;
    private JsonGenerator rows;

    RowsWriter(RowMode mode, ResultLimits limits) {
        this.mode = mode;
        this.limits = limits;
    }

    /** Starts the rows array of the next statement. */
    void startStatement() {
        statementRows = 0;
        out.reset();
        try {
            rows = JSON.createGenerator(out);
            rows.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the statement's rows array and returns it, {@code [ ... ]}; fails if a limit was passed. */
    byte[] endStatement() {
        try {
            rows.writeEndArray();
            rows.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (overflow) {
            throw tooLarge();
        }
        bytesSoFar += out.size();
        return out.toByteArray();
    }

    long statementRows() {
        return statementRows;
    }

    private void add(Row row) {
        rowsSoFar++;
        statementRows++;
        if (overflow) {
            return;
        }
        if (rowsSoFar > limits.maxRows() || bytesSoFar + out.size() + rows.getOutputBuffered() > limits.maxBytes()) {
            overflow = true;
            return;
        }
        try {
            int columns = row.size();
            if (mode == RowMode.ARRAY) {
                rows.writeStartArray();
                for (int i = 0; i < columns; i++) {
                    PgValues.write(rows, row.getValue(i));
                }
                rows.writeEndArray();
            } else {
                rows.writeStartObject();
                for (int i = 0; i < columns; i++) {
                    rows.writeFieldName(row.getColumnName(i));
                    PgValues.write(rows, row.getValue(i));
                }
                rows.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ResultTooLargeException tooLarge() {
        if (rowsSoFar > limits.maxRows()) {
            return new ResultTooLargeException("the result has " + rowsSoFar + " rows, more than max-rows ("
                    + limits.maxRows() + "): add a LIMIT, page with a cursor in a session, or raise "
                    + "poolgate.limits.max-rows");
        }
        return new ResultTooLargeException("the result is larger than max-response-bytes (" + limits.maxBytes()
                + " bytes of rows): select fewer columns or rows, or raise poolgate.limits.max-response-bytes");
    }

    @Override
    public Supplier<RowsWriter> supplier() {
        return () -> this;
    }

    @Override
    public BiConsumer<RowsWriter, Row> accumulator() {
        return RowsWriter::add;
    }

    @Override
    public BinaryOperator<RowsWriter> combiner() {
        return (a, b) -> a;
    }

    @Override
    public Function<RowsWriter, RowsWriter> finisher() {
        return Function.identity();
    }

    @Override
    public Set<Characteristics> characteristics() {
        return Set.of(Characteristics.IDENTITY_FINISH);
    }
}
