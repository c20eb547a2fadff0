package io.poolgate.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.Outcome;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Runs one statement on a leased connection, over the extended protocol (so exactly one statement:
 * the server rejects {@code SELECT 1; SELECT 2}), and judges what the connection's state is after.
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

    private PgStatements() {
    }

    /** Executes {@code sql} with JSON {@code params}; fails with {@link ParameterException} for a bad parameter. */
    public static CompletionStage<QueryResult> execute(PgConnection connection, String sql, List<JsonNode> params) {
        long start = System.nanoTime();
        Object[] values = PgParameters.values(params);
        return attempt(connection, sql, params, values, start, params.size()).toCompletionStage();
    }

    private static Future<QueryResult> attempt(PgConnection connection, String sql, List<JsonNode> params,
            Object[] values, long start, int coercionsLeft) {
        return connection.preparedQuery(sql).execute(Tuple.wrap(Arrays.asList(values)))
                .map(rows -> new QueryResult(rows, System.nanoTime() - start))
                .recover(error -> {
                    PgParameters.Refusal refusal = PgParameters.refusal(error);
                    if (refusal != null && coercionsLeft > 0 && refusal.index() < params.size()) {
                        int i = refusal.index();
                        values[i] = PgParameters.coerce(params.get(i), i, refusal.expectedClass());
                        return attempt(connection, sql, params, values, start, coercionsLeft - 1);
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

    /** What the connection's state is after running {@code sql} alone, given how it ended. */
    public static Outcome outcome(String sql, Throwable error) {
        if (error == null || error instanceof PgException || error instanceof ParameterException) {
            // the server answered: the implicit transaction is over, the protocol in sync
            return isSessionNeutral(sql) ? Outcome.CLEAN : Outcome.DIRTY;
        }
        return Outcome.BROKEN;
    }

    static boolean isSessionNeutral(String sql) {
        String keyword = leadingKeyword(sql);
        return SESSION_NEUTRAL.contains(keyword);
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
