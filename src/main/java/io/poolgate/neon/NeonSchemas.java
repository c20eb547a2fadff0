package io.poolgate.neon;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Neon's SQL-over-HTTP as {@code /q/openapi} describes it. The resource reads raw bytes; these
 * records say what they hold and what comes back; the error responses are shared components of
 * {@code META-INF/openapi.yaml}. Read at build time, never instantiated.
 */
final class NeonSchemas {

    private NeonSchemas() {
    }

    @Schema(name = "NeonQuery", description = "One statement")
    record Query(
            @Schema(required = true, example = "SELECT $1::int + 1 AS n") String query,
            @Schema(description = "Each parameter's text (or null); PostgreSQL infers its type and parses it. Numbers "
                    + "and booleans count as their JSON text, objects as JSON text, arrays as PostgreSQL array literals",
                    example = "[\"41\"]") List<Object> params,
            @Schema(description = "Rows as arrays; default: the Neon-Array-Mode header") Boolean arrayMode) {
    }

    @Schema(name = "NeonBody", description = "{query, params} for one statement, or {queries: [...]} for a transaction")
    record Body(
            @Schema(example = "SELECT $1::int + 1 AS n") String query,
            @Schema(example = "[\"41\"]") List<Object> params,
            Boolean arrayMode,
            @Schema(description = "Statements run in one transaction") List<Query> queries) {
    }

    @Schema(name = "NeonField", description = "A result column, as PostgreSQL's RowDescription gives it")
    record Field(@Schema(example = "n") String name, @Schema(example = "23") long dataTypeID,
            @Schema(example = "0") long tableID, @Schema(example = "0") int columnID,
            @Schema(example = "4") int dataTypeSize, @Schema(example = "-1") int dataTypeModifier,
            @Schema(example = "text") String format) {
    }

    @Schema(name = "NeonResult", description = "One statement's result; a transaction answers {results: [...]}")
    record Result(
            List<Field> fields,
            @Schema(description = "Arrays (or objects) of PostgreSQL's text values, null for NULL",
                    example = "[[\"42\"]]") List<Object> rows,
            @Schema(description = "The command tag's first word", example = "SELECT") String command,
            @Schema(description = "The command tag's count; null for commands without one", example = "1")
            Long rowCount,
            boolean rowAsArray,
            @Schema(description = "For a transaction: each statement's result") List<Object> results) {
    }
}
