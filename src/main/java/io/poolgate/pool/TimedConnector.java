package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bounds every wait of the pool on its backend ({@link BackendTimeouts}): a connect, validation or
 * reset that has not finished in time fails with {@link BackendTimeoutException}, and whatever
 * the backend answers later is ignored (a connection that opens after its connect was abandoned is
 * closed at once). The pool then treats the connection as broken: closed and replaced.
 */
final class TimedConnector<C> implements Connector<C> {

    private final Connector<C> connector;
    private final Scheduler scheduler;
    private final BackendTimeouts timeouts;

    TimedConnector(Connector<C> connector, Scheduler scheduler, BackendTimeouts timeouts) {
        this.connector = connector;
        this.scheduler = scheduler;
        this.timeouts = timeouts;
    }

    @Override
    public CompletionStage<C> connect(Node node, Runnable onLost) {
        CompletableFuture<C> result = new CompletableFuture<>();
        Scheduler.Timer timer = scheduler.schedule(timeouts.connect().toNanos(), () -> result.completeExceptionally(
                timeout("connect", timeouts.connect())));
        started(() -> connector.connect(node, onLost)).whenComplete((connection, error) -> {
            timer.cancel();
            if (error != null) {
                result.completeExceptionally(error);
            } else if (!result.complete(connection)) {
                connector.closeQuietly(connection); // opened after the pool gave up on it
            }
        });
        return result;
    }

    @Override
    public CompletionStage<Void> validate(C connection) {
        return bounded("validation", timeouts.validate(), () -> connector.validate(connection));
    }

    @Override
    public CompletionStage<Void> reset(C connection) {
        return bounded("reset", timeouts.reset(), () -> connector.reset(connection));
    }

    @Override
    public CompletionStage<Void> closeQuietly(C connection) {
        return connector.closeQuietly(connection);
    }

    private CompletionStage<Void> bounded(String what, Duration bound, Supplier<CompletionStage<Void>> work) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Scheduler.Timer timer = scheduler.schedule(bound.toNanos(), () -> result.completeExceptionally(
                timeout(what, bound)));
        started(work).whenComplete((ok, error) -> {
            timer.cancel();
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /** The connector's stage; a connector that throws instead of failing its stage fails it here. */
    private static <T> CompletionStage<T> started(Supplier<CompletionStage<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static BackendTimeoutException timeout(String what, Duration bound) {
        return new BackendTimeoutException(what + " did not finish within " + bound.toMillis() + "ms");
    }
}
