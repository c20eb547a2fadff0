package io.poolgate.neon;

import io.netty.buffer.ByteBufAllocator;
import io.poolgate.pool.Outcome;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.ResultLimits;
import io.vertx.pgclient.PgConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Neon request on a leased connection, over the text protocol: a statement alone (autocommit),
 * or the statements of a transaction in order between BEGIN (with the requested isolation, read-only
 * and deferrable options) and COMMIT, rolled back at the first failure. Answers Neon's JSON.
 */
final class NeonCall {

    private final NeonRequest request;
    private final NeonOptions options;
    private final ResultLimits limits;
    private final boolean readScope;
    /** The transaction status after the last exchange; I when the connection is back in autocommit. */
    private volatile char status = 'I';

    /**
     * @param readScope the credentials may only read: every statement runs after the read-only guard
     *                  ({@link #guard}), and a transaction begins READ ONLY whatever its headers say
     */
    NeonCall(NeonRequest request, NeonOptions options, ResultLimits limits, boolean readScope) {
        this.request = request;
        this.options = readScope ? options.readOnlyTransaction() : options;
        this.limits = limits;
        this.readScope = readScope;
    }

    /** What the leak report and status page show for this call. */
    String summary() {
        String first = request.queries().get(0).sql().replaceAll("\\s+", " ").trim();
        first = first.length() <= 200 ? first : first.substring(0, 197) + "...";
        return request.transaction() ? "transaction of " + request.queries().size() + ": " + first : first;
    }

    CompletionStage<byte[]> run(PgConnection connection) {
        WireTap tap = WireTap.of(connection);
        ResultWriter writer = new ResultWriter(limits, options.rawText());
        if (!request.transaction()) {
            return guarded(tap, writer, request.queries().get(0)).thenApply(ignored -> writer.toBytes());
        }
        writer.startResults();
        CompletionStage<Void> chain = command(tap, options.begin());
        for (NeonRequest.Query query : request.queries()) {
            chain = chain.thenCompose(ignored -> guarded(tap, writer, query));
        }
        return chain.thenCompose(ignored -> command(tap, "COMMIT"))
                .handle((ignored, error) -> error)
                .thenCompose(error -> {
                    Throwable cause = unwrap(error);
                    if (cause == null) {
                        writer.endResults();
                        return CompletableFuture.completedFuture(writer.toBytes());
                    }
                    if (cause instanceof SqlFailure || cause instanceof ResultTooLarge || cause instanceof NeonException) {
                        // the server is fine and still in the transaction (or out of it, if COMMIT failed)
                        return command(tap, "ROLLBACK").thenCompose(rolledBack -> CompletableFuture.failedFuture(cause));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /** The statement, after the read-only guard for a read scope. */
    private CompletionStage<Void> guarded(WireTap tap, ResultWriter writer, NeonRequest.Query query) {
        return readScope ? guard(tap).thenCompose(ignored -> statement(tap, writer, query)) : statement(tap, writer, query);
    }

    /**
     * A read scope's guard, before every statement: {@code BEGIN READ ONLY} (or, inside a transaction
     * every one of which the guard or a READ ONLY begin opened, nothing) and a snapshot, after which
     * PostgreSQL refuses to make the transaction read-write; a client's COMMIT can only end a
     * read-only transaction, and the next guard opens another. The server must say it is in one.
     */
    private CompletionStage<Void> guard(WireTap tap) {
        return command(tap, "BEGIN READ ONLY; SELECT 1").thenAccept(ignored -> {
            if (status != 'T') {
                throw new IllegalStateException("the read-only guard left the connection out of a transaction (status "
                        + status + "); the statement was not run");
            }
        });
    }

    private CompletionStage<Void> statement(WireTap tap, ResultWriter writer, NeonRequest.Query query) {
        writer.startStatement(query.arrayMode() != null ? query.arrayMode() : options.arrayMode());
        Statement statement = new Statement(writer);
        return tap.run(statement, Frontend.statement(allocator(), query.sql(), query.params())).thenAccept(done -> {
            status = done.transactionStatus();
            if (done.error() != null) {
                throw new SqlFailure(done.error());
            }
            if (statement.copiedOut()) {
                throw NeonException.badRequest("COPY ... TO STDOUT is not supported over HTTP: SELECT the rows instead");
            }
            if (writer.overflowed()) {
                throw new ResultTooLarge(writer.overflow());
            }
            writer.endStatement(statement.tag());
        });
    }

    private CompletionStage<Void> command(WireTap tap, String sql) {
        return tap.run(new Exchange.Command(sql), Frontend.query(allocator(), sql)).thenAccept(done -> {
            status = done.transactionStatus();
            if (done.error() != null) {
                throw new SqlFailure(done.error());
            }
        });
    }

    private static ByteBufAllocator allocator() {
        return ByteBufAllocator.DEFAULT;
    }

    /**
     * The connection's state after the call: broken when the protocol stopped in an unknown place;
     * to be reset when a transaction is still open or a statement may have changed session state
     * (SET, PREPARE, LISTEN, ...); clean otherwise.
     */
    Outcome outcome(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause != null && !(cause instanceof SqlFailure || cause instanceof ResultTooLarge
                || cause instanceof NeonException)) {
            return Outcome.BROKEN;
        }
        if (status != 'I' || readScope) {
            return Outcome.DIRTY; // an open (read-only) transaction, or session state a reader may have set
        }
        List<NeonRequest.Query> queries = request.queries();
        return queries.stream().allMatch(q -> PgStatements.isSessionNeutral(q.sql())) ? Outcome.CLEAN : Outcome.DIRTY;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
