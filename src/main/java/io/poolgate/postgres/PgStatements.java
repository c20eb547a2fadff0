package io.poolgate.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.Outcome;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Runs statements on a leased connection over the extended protocol (so one statement per
 * request: the server itself rejects {@code SELECT 1; SELECT 2}), and judges the connection's
 * state afterwards.
 */
public final class PgStatements {

    /**
     * Statements that, run alone in autocommit, leave no session state behind: the connection can
     * be lent again without a reset. Everything else (BEGIN, SET, PREPARE, LISTEN, CREATE TEMP,
     * DECLARE, ...) is reset first. As with PgBouncer's transaction mode, a function called from a
     * SELECT can still change session state ({@code set_config(..., false)}, advisory locks).
     */
    private static final Set<String> SESSION_NEUTRAL = Set.of("select", "insert", "update", "delete", "with",
            "values", "table", "merge", "explain", "show");

    /**
     * The refusals of a read-only transaction: 25006 a write, 25001 an attempt to make it read-write
     * after its snapshot, 42501 a privilege (SET ROLE to a role the login may not use).
     */
    private static final Set<String> READ_ONLY_REFUSALS = Set.of("25006", "25001", "42501");

    /** Transaction isolation for batches. */
    public enum Isolation {
        READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE;

        String sql() {
            return name().replace('_', ' ');
        }
    }

    private PgStatements() {
    }

    /**
     * Runs one statement alone (autocommit), or in a read-only transaction ({@link #guard}) that is
     * committed after it.
     */
    public static CompletionStage<QueryResult> execute(PgConnection connection, Statement statement, RowMode mode,
            ResultLimits limits, boolean readOnly) {
        RowsWriter writer = new RowsWriter(mode, limits);
        if (!readOnly) {
            return run(connection, statement, writer).toCompletionStage();
        }
        return inTransaction(() -> guard(connection), connection, () -> run(connection, statement, writer))
                .toCompletionStage();
    }

    /**
     * Runs one statement in a read-only transaction ({@link #guard}) and leaves the transaction
     * open: the caller releases the connection through a reset ({@link #outcome(List, Throwable,
     * boolean)} says so for read-only work), whose ROLLBACK ends it. A read-only transaction has
     * nothing to commit, so this saves the COMMIT's round trip.
     */
    public static CompletionStage<QueryResult> executeReadOnly(PgConnection connection, Statement statement,
            RowMode mode, ResultLimits limits) {
        RowsWriter writer = new RowsWriter(mode, limits);
        return guard(connection).compose(guarded -> run(connection, statement, writer)).toCompletionStage();
    }

    /**
     * Runs the statements in order in one transaction: all of them, or none (the first failure
     * rolls back and is reported as a {@link BatchException} with its index). Read-only: each
     * statement runs after the {@link #guard}, so one that ends the transaction (COMMIT, ROLLBACK)
     * only ends a read-only one, and the next statement starts another.
     */
    public static CompletionStage<List<QueryResult>> batch(PgConnection connection, List<Statement> statements,
            Isolation isolation, boolean readOnly, RowMode mode, ResultLimits limits) {
        RowsWriter writer = new RowsWriter(mode, limits);
        String begin = "BEGIN ISOLATION LEVEL " + isolation.sql() + (readOnly ? " READ ONLY" : "");
        return inTransaction(() -> connection.query(begin).execute(), connection, () -> {
            List<QueryResult> results = new ArrayList<>(statements.size());
            Future<Void> chain = Future.succeededFuture();
            for (int i = 0; i < statements.size(); i++) {
                int index = i;
                chain = chain.compose(ignored -> (readOnly ? guard(connection).compose(guarded -> run(connection, statements.get(index), writer))
                        : run(connection, statements.get(index), writer))
                        .recover(error -> Future.failedFuture(new BatchException(index, error)))
                        .map(result -> {
                            results.add(result);
                            return null;
                        }));
            }
            return chain.map(ignored -> results);
        }).toCompletionStage();
    }

    /**
     * The guard of read-only work, sent before every statement of a read-scope request: it opens a
     * read-only transaction (or, inside one, changes nothing) and takes the transaction's snapshot,
     * after which PostgreSQL refuses {@code SET TRANSACTION READ WRITE} and {@code SET
     * transaction_read_only = off}; the answer must say the transaction is read-only. It is awaited,
     * not pipelined with the statement: if it were cancelled (the client hung up, or set a tiny
     * statement_timeout) before its BEGIN ran, a pipelined statement would run in autocommit.
     */
    static final String READ_ONLY_GUARD = "BEGIN READ ONLY; SELECT current_setting('transaction_read_only')";

    private static Future<Void> guard(PgConnection connection) {
        return connection.query(READ_ONLY_GUARD).execute().compose(result -> {
            var last = result;
            while (last.next() != null) {
                last = last.next();
            }
            String mode = last.iterator().next().getString(0);
            return "on".equals(mode) ? Future.succeededFuture()
                    : Future.failedFuture(new IllegalStateException("the read-only guard found transaction_read_only="
                            + mode + "; the statement was not run"));
        });
    }

    /** Whether PostgreSQL refused {@code error}'s statement because its transaction is read-only or it lacks a privilege. */
    public static boolean refusedWrite(Throwable error) {
        Throwable cause = error instanceof BatchException ? error.getCause() : error;
        return cause instanceof PgException pg && isReadOnlyRefusal(pg.getSqlState());
    }

    /** Whether {@code sqlState} is how a read-only transaction refuses a write (25006, 25001, 42501). */
    public static boolean isReadOnlyRefusal(String sqlState) {
        return READ_ONLY_REFUSALS.contains(sqlState);
    }

    /** PostgreSQL's refusal, for the 403 that names it. */
    public static String refusalText(Throwable error) {
        Throwable cause = error instanceof BatchException ? error.getCause() : error;
        PgException pg = (PgException) cause;
        String where = error instanceof BatchException batch ? "statement " + batch.index() + ": " : "";
        return where + "PostgreSQL refused: " + pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
    }

    /** The JSON body of a batch's results: {@code {"results": [...], "durationMs": x}}. */
    public static byte[] batchJson(List<QueryResult> results, long nanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write("{\"results\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                results.get(i).writeTo(out);
            }
            out.write(("],\"durationMs\":" + QueryResult.millis(nanos) + "}").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** BEGIN, the work, then COMMIT; on failure ROLLBACK and the work's failure. */
    private static <T> Future<T> inTransaction(java.util.function.Supplier<Future<?>> begin, PgConnection connection,
            java.util.function.Supplier<Future<T>> work) {
        return begin.get().recover(failed -> connection.query("ROLLBACK").execute()
                .transform(rolledBack -> Future.failedFuture(failed)))
                .compose(ignored -> work.get().transform(outcome -> {
            if (outcome.succeeded()) {
                return connection.query("COMMIT").execute().map(outcome.result());
            }
            return connection.query("ROLLBACK").execute()
                    .transform(rolledBack -> Future.<T>failedFuture(outcome.cause()));
        }));
    }

    private static Future<QueryResult> run(PgConnection connection, Statement statement, RowsWriter writer) {
        long start = System.nanoTime();
        Object[] values = PgParameters.values(statement.params());
        // a parameter is refused at most twice: its natural value, then a converted number that does not fit
        return attempt(connection, statement, values, writer, 2 * statement.params().size())
                .map(result -> new QueryResult(result.columnDescriptors(), writer.endStatement(),
                        result.columnDescriptors() == null || result.columnDescriptors().isEmpty()
                                ? result.rowCount() : writer.statementRows(),
                        System.nanoTime() - start));
    }

    private static Future<SqlResult<RowsWriter>> attempt(PgConnection connection, Statement statement,
            Object[] values, RowsWriter writer, int coercionsLeft) {
        writer.startStatement();
        return connection.preparedQuery(statement.sql()).collecting(writer).execute(Tuple.wrap(Arrays.asList(values)))
                .recover(error -> {
                    PgParameters.Refusal refusal = PgParameters.refusal(error);
                    List<JsonNode> params = statement.params();
                    if (refusal != null && coercionsLeft > 0 && refusal.index() < params.size()) {
                        int i = refusal.index();
                        values[i] = PgParameters.coerce(params.get(i), values[i], i, refusal.expectedClass());
                        return attempt(connection, statement, values, writer, coercionsLeft - 1);
                    }
                    return Future.failedFuture(clientError(error));
                });
    }

    /** The driver's own argument checks become parameter errors; everything else passes through. */
    private static Throwable clientError(Throwable error) {
        String message = error.getMessage();
        if (!(error instanceof PgException) && message != null
                && (message.startsWith("The number of parameters") || message.startsWith("Parameter at position"))) {
            return new ParameterException(message.replace("should be consistent with the expected number of parameters",
                    "does not match the statement's"));
        }
        return error;
    }

    /**
     * What the connection's state is after read-only work: never clean, because its transaction may
     * still be open ({@link #executeReadOnly}), and because a function called from a SELECT can
     * change session state ({@code set_config(..., false)}) that the next borrower, maybe one that
     * writes, must not inherit.
     */
    public static Outcome outcome(List<Statement> statements, Throwable error, boolean readOnly) {
        Outcome outcome = outcome(statements, error);
        return readOnly && outcome == Outcome.CLEAN ? Outcome.DIRTY : outcome;
    }

    /** What the connection's state is after running {@code statements}, given how it ended. */
    public static Outcome outcome(List<Statement> statements, Throwable error) {
        Throwable cause = error instanceof BatchException ? error.getCause() : error;
        if (cause instanceof PgException pg && isConnectionFailure(pg.getSqlState())) {
            return Outcome.BROKEN; // the server is ending the connection (shutdown, crash recovery, ...)
        }
        if (cause == null || cause instanceof PgException || cause instanceof ParameterException
                || cause instanceof ResultTooLargeException) {
            // the server answered: the implicit or explicit transaction is over, the protocol in sync
            return statements.stream().allMatch(s -> isSessionNeutral(s.sql())) ? Outcome.CLEAN : Outcome.DIRTY;
        }
        return Outcome.BROKEN;
    }

    /**
     * SQLSTATE class 08 (connection exception) and 57P01-57P05 (admin shutdown, crash shutdown,
     * cannot connect now, database dropped, idle session timeout): the connection is going away.
     */
    static boolean isConnectionFailure(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    /** Whether {@code sql}, run alone in autocommit, leaves no session state behind (see {@link #SESSION_NEUTRAL}). */
    public static boolean isSessionNeutral(String sql) {
        return SESSION_NEUTRAL.contains(leadingKeyword(sql));
    }

    /** The first keyword, after whitespace, comments and opening parentheses, in lower case. */
    static String leadingKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
    }
}
