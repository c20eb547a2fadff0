package io.poolgate.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The API as {@code /q/openapi} describes it. The resources read their bodies as raw bytes, so that
 * bad input gets a precise 400; these records say what the bytes should hold and what comes back.
 * They are read at build time and never instantiated. The problems the endpoints answer with are
 * described once, as shared responses, in {@code package-info.java}.
 */
final class ApiSchemas {

    static final String BAD_REQUEST = "BadRequest";
    static final String NOT_FOUND = "NotFound";
    static final String SESSION_BUSY = "SessionBusy";
    static final String SESSION_ENDED = "SessionEnded";
    static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    static final String UNPROCESSABLE = "Unprocessable";
    static final String UNAVAILABLE = "Unavailable";
    static final String STATEMENT_TIMEOUT = "StatementTimeout";
    static final String RESULT_TOO_LARGE = "ResultTooLarge";

    private ApiSchemas() {
    }

    @Schema(name = "Query", description = "One SQL statement, run alone (autocommit) on a connection lent for the request")
    record QueryBody(
            @Schema(required = true, description = "Exactly one statement, with positional parameters $1, $2, ...",
                    example = "SELECT $1::int + 1 AS answer") String sql,
            @Schema(description = "Values for $1, $2, ...: each converted to the type PostgreSQL infers for it "
                    + "(ISO-8601 strings to dates and times, base64 to bytea, arrays to arrays, numbers exactly "
                    + "or not at all)", example = "[41]") List<Object> params,
            @Schema(description = "Run in a read-only transaction", defaultValue = "false") Boolean readOnly,
            @Schema(description = "Rows as objects keyed by column name, or as arrays in column order",
                    enumeration = { "object", "array" }, defaultValue = "object") String rowMode) {
    }

    @Schema(name = "SessionQuery", description = "One SQL statement on a session lease; BEGIN, COMMIT, SAVEPOINT "
            + "and SET are the client's to use")
    record SessionQueryBody(
            @Schema(required = true, description = "Exactly one statement", example = "BEGIN") String sql,
            @Schema(description = "Values for $1, $2, ...") List<Object> params,
            @Schema(enumeration = { "object", "array" }, defaultValue = "object") String rowMode) {
    }

    @Schema(name = "Statement", description = "One statement of a batch")
    record StatementBody(
            @Schema(required = true, example = "INSERT INTO t VALUES ($1)") String sql,
            @Schema(description = "Values for $1, $2, ...", example = "[1]") List<Object> params) {
    }

    @Schema(name = "Batch", description = "Statements run in order in one transaction: all of them, or none")
    record BatchBody(
            @Schema(required = true, minItems = 1, maxItems = QueryRequest.MAX_STATEMENTS) List<StatementBody> statements,
            @Schema(enumeration = { "read committed", "repeatable read", "serializable" },
                    defaultValue = "read committed") String isolation,
            @Schema(description = "Run the transaction read-only", defaultValue = "false") Boolean readOnly,
            @Schema(enumeration = { "object", "array" }, defaultValue = "object") String rowMode) {
    }

    @Schema(name = "Column", description = "A result column and its PostgreSQL type")
    record Column(@Schema(example = "answer") String name, @Schema(example = "int4") String type) {
    }

    @Schema(name = "QueryResult", description = "A statement's result: numbers stay numbers (numeric is a string, "
            + "to keep its precision), json is embedded, times are ISO-8601, bytea is base64")
    record QueryResult(
            List<Column> columns,
            @Schema(description = "Objects keyed by column name, or arrays with rowMode \"array\"",
                    example = "[{\"answer\": 42}]") List<Object> rows,
            @Schema(description = "Rows returned, or rows affected without RETURNING") long rowCount,
            @Schema(example = "0.61") double durationMs) {
    }

    @Schema(name = "BatchResult", description = "Each statement's result, in order")
    record BatchResult(List<QueryResult> results, double durationMs) {
    }

    @Schema(name = "PipelineReply", description = "One command's reply, or its error reply; exactly one is set")
    record PipelineReply(
            @Schema(description = "A string (base64 with Upstash-Encoding), integer, array or null") Object result,
            @Schema(example = "WRONGTYPE Operation against a key holding the wrong kind of value") String error) {
    }

    @Schema(name = "SessionOptions", description = "How long the lease may stay idle and live, capped by the pool's "
            + "sessions configuration: \"30s\", \"5m\", ISO-8601 \"PT30S\", or a number of seconds")
    record SessionOptions(
            @Schema(type = SchemaType.STRING, example = "30s") String idleTimeout,
            @Schema(type = SchemaType.STRING, example = "10m") String maxLifetime,
            @Schema(description = "Lease a connection of a replica (a primary when no replica is healthy)",
                    defaultValue = "false") Boolean readOnly) {
    }

    @Schema(name = "Scale", description = "Exactly one of delta and target: the size kept warm, clamped to the "
            + "pool's [min, max]")
    record ScaleBody(
            @Schema(description = "Added to the current target", example = "5") Integer delta,
            @Schema(description = "The new target", minimum = "0", example = "50") Integer target) {
    }

    @Schema(name = "Balancer", description = "Every field optional: the strategy, node weights (for "
            + "weighted_round_robin) and the weights of the performance-based score")
    record BalancerBody(
            @Schema(enumeration = { "round_robin", "least_connections", "weighted_round_robin", "performance_based" })
            String strategy,
            @Schema(description = "Node name to weight (a whole number >= 1)", example = "{\"primary\": 1, "
                    + "\"replica-1\": 2}") java.util.Map<String, Integer> weights,
            @Schema(description = "Weights of the performance-based score, each >= 0") PerformanceBody performance) {
    }

    @Schema(name = "Performance", description = "How much each figure counts in the performance-based score")
    record PerformanceBody(@Schema(example = "0.4") Double latency, @Schema(example = "0.3") Double throughput,
            @Schema(example = "0.2") Double errorRate, @Schema(example = "0.1") Double load) {
    }

    @Schema(name = "Node", description = "A node's weight, and / or whether it is drained (no new work, idle "
            + "connections closed now, lent ones when they come back)")
    record NodeBody(@Schema(minimum = "1", example = "2") Integer weight, Boolean drain) {
    }
}
