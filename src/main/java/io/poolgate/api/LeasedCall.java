package io.poolgate.api;

import io.poolgate.pool.Lease;
import io.poolgate.pool.Outcome;
import io.poolgate.pool.Owner;
import io.poolgate.pool.Pool;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One HTTP request's implicit lease: acquire, run the work, release on every path.
 *
 * <p>The release always follows the work, whatever the HTTP side does. When the client hangs up
 * while waiting, the acquisition is withdrawn; while working, the work is interrupted (e.g. a
 * PostgreSQL cancel request) and the connection is released once the backend has answered and the
 * interruption has been delivered, and always through a reset, so a late cancel can only hit the
 * reset, never the next borrower's work.
 */
public final class LeasedCall<C, R> {

    /** Stops running work early; completes when the interruption has been delivered. */
    @FunctionalInterface
    public interface Interrupt<C> {
        CompletionStage<Void> interrupt(Lease<C> lease);
    }

    private enum Phase {
        ACQUIRING, WORKING, DONE, ABANDONED
    }

    private final Function<Lease<C>, CompletionStage<R>> work;
    private final BiFunction<R, Throwable, Outcome> outcome;
    private final Interrupt<C> interrupt;
    // guarded by this
    private Phase phase = Phase.ACQUIRING;
    private Lease<C> lease;
    private CompletionStage<Void> interrupted;

    private LeasedCall(Function<Lease<C>, CompletionStage<R>> work, BiFunction<R, Throwable, Outcome> outcome,
            Interrupt<C> interrupt) {
        this.work = work;
        this.outcome = outcome;
        this.interrupt = interrupt;
    }

    /**
     * @param work      what to do with the connection
     * @param outcome   the connection's state after the work, from its result or failure
     * @param interrupt how to stop the work early when the client is gone
     */
    public static <C, R> Uni<R> run(Pool<C> pool, Owner owner, Function<Lease<C>, CompletionStage<R>> work,
            BiFunction<R, Throwable, Outcome> outcome, Interrupt<C> interrupt) {
        return Uni.createFrom().emitter(emitter -> new LeasedCall<>(work, outcome, interrupt).start(pool, owner,
                emitter));
    }

    private void start(Pool<C> pool, Owner owner, UniEmitter<? super R> emitter) {
        CompletableFuture<Lease<C>> acquiring = pool.acquire(owner).toCompletableFuture();
        emitter.onTermination(() -> abandon(acquiring));
        acquiring.whenComplete((acquired, error) -> {
            if (error != null) {
                emitter.fail(unwrap(error));
            } else if (begin(acquired)) {
                work(acquired, emitter);
            } else {
                acquired.release(Outcome.CLEAN); // the client left before the work began
            }
        });
    }

    private synchronized void abandon(CompletableFuture<Lease<C>> acquiring) {
        if (phase == Phase.ACQUIRING) {
            phase = Phase.ABANDONED;
            acquiring.cancel(false);
        } else if (phase == Phase.WORKING) {
            phase = Phase.ABANDONED;
            interrupted = interrupt.interrupt(lease);
        }
    }

    private synchronized boolean begin(Lease<C> acquired) {
        if (phase != Phase.ACQUIRING) {
            return false;
        }
        phase = Phase.WORKING;
        lease = acquired;
        return true;
    }

    private synchronized CompletionStage<Void> finish() {
        if (phase == Phase.WORKING) {
            phase = Phase.DONE;
        }
        return interrupted;
    }

    private void work(Lease<C> acquired, UniEmitter<? super R> emitter) {
        long started = System.nanoTime();
        CompletionStage<R> running;
        try {
            running = work.apply(acquired);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((result, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            acquired.recordRequest(System.nanoTime() - started, cause != null);
            Outcome after = outcome.apply(result, cause);
            CompletionStage<Void> interruption = finish();
            if (interruption == null) {
                acquired.release(after);
            } else {
                Outcome reset = after == Outcome.BROKEN ? Outcome.BROKEN : Outcome.DIRTY;
                interruption.whenComplete((ignored, error) -> acquired.release(reset));
            }
            if (cause != null) {
                emitter.fail(cause);
            } else {
                emitter.complete(result);
            }
        });
    }

    /** Interrupts a running PostgreSQL statement with a cancel request on a side connection. */
    public static CompletionStage<Void> cancelStatement(Lease<PgConnection> lease) {
        return lease.connection().cancelRequest().toCompletionStage();
    }

    /** Redis commands are short: nothing to interrupt, the connection comes back when they answer. */
    public static <C> CompletionStage<Void> nothingToInterrupt(Lease<C> lease) {
        return CompletableFuture.completedFuture(null);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
