package io.poolgate.postgres;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import java.util.List;

/**
 * The outcome of one statement: {@code {columns, rows, rowCount, durationMs}}. Written straight
 * from the driver's row set by {@link QueryResultSerializer}, without an intermediate tree.
 */
@JsonSerialize(using = QueryResultSerializer.class)
public final class QueryResult {

    final RowSet<Row> rows;
    final long nanos;

    QueryResult(RowSet<Row> rows, long nanos) {
        this.rows = rows;
        this.nanos = nanos;
    }

    /** The result's columns; none for statements that return no rows (INSERT without RETURNING, SET, ...). */
    List<ColumnDescriptor> columns() {
        List<ColumnDescriptor> columns = rows.columnDescriptors();
        return columns == null ? List.of() : columns;
    }

    /** Rows returned, or rows affected for INSERT / UPDATE / DELETE. */
    public int rowCount() {
        return columns().isEmpty() ? rows.rowCount() : rows.size();
    }

    public double durationMillis() {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
