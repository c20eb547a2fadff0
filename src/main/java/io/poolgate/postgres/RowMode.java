package io.poolgate.postgres;

/** How rows are written: {@code {"column": value}} objects, or {@code [value, ...]} arrays in column order. */
public enum RowMode {
    OBJECT, ARRAY
}
