package io.poolgate.api;

import io.poolgate.pool.Connector;
import io.poolgate.redis.Multiplexer;
import io.poolgate.redis.RedisLink;
import io.poolgate.pool.Lease;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A Redis command the {@link Multiplexer} runs on a connection shared with other requests'
 * commands, answered like one on a connection of its own: a connection that broke is a 503 that
 * says the command may have run, one that stayed silent past the command timeout a 504.
 */
public final class SharedCall {

    /** A shared command cannot be withdrawn: it is answered, or its connection is closed at the timeout. */
    static final Runnable NOTHING_TO_ABANDON = () -> {
    };

    private SharedCall() {
    }

    /**
     * Starts {@code work} (the command {@code command}) on a shared connection of {@code multiplexer},
     * and tells {@code answer} its result or failure once; false (and nothing started) when it cannot
     * share, as for {@link #run}.
     */
    static <R> boolean start(Multiplexer<RedisLink> multiplexer, String command, Deadline<RedisLink> deadline,
            Function<Lease<RedisLink>, CompletionStage<R>> work, BiConsumer<? super R, Throwable> answer) {
        if (multiplexer == null || !Multiplexer.shareable(command)) {
            return false;
        }
        CompletionStage<R> running = multiplexer.run(work);
        if (running == null) {
            return false;
        }
        String pool = multiplexer.pool();
        running.whenComplete((result, error) -> {
            Throwable cause = error == null ? null : LeasedCall.unwrap(error);
            answer.accept(result, cause instanceof Multiplexer.Failure failure ? failure(pool, failure, deadline)
                    : cause);
        });
        return true;
    }

    /**
     * Runs {@code work} (the command {@code command}) on a shared connection of {@code multiplexer};
     * null when it cannot share (no multiplexer, a command that keeps a connection of its own, a
     * worker thread, every lane full): then the caller lends a connection for the request.
     */
    public static <R> Uni<R> run(Multiplexer<RedisLink> multiplexer, String command, Deadline<RedisLink> deadline,
            Function<Lease<RedisLink>, CompletionStage<R>> work) {
        CompletableFuture<R> answered = new CompletableFuture<>();
        boolean shared = start(multiplexer, command, deadline, work, (result, error) -> {
            if (error == null) {
                answered.complete(result);
            } else {
                answered.completeExceptionally(error);
            }
        });
        return shared ? Uni.createFrom().completionStage(answered) : null;
    }

    static BackendFailure failure(String pool, Multiplexer.Failure failure, Deadline<RedisLink> deadline) {
        String where = "pool '" + pool + "' node '" + failure.node() + "': ";
        if (failure.timedOut()) {
            return new BackendFailure(BackendFailure.Kind.TIMEOUT, pool, failure.node(), true, where + "the "
                    + deadline.what() + " (or one before it on its shared connection) did not finish within " + deadline.bound().toMillis()
                    + "ms; the connection was closed; " + BackendFailure.outcome(true));
        }
        return new BackendFailure(BackendFailure.Kind.LOST, pool, failure.node(), true, where
                + "the connection broke during the request (" + Connector.rootMessage(failure.getCause()) + "); "
                + BackendFailure.outcome(true));
    }
}
