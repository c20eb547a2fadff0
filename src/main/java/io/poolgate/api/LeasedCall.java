package io.poolgate.api;

import io.poolgate.pool.Connector;
import io.poolgate.pool.Lease;
import io.poolgate.pool.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One HTTP request's implicit lease: acquire, run the work within its {@link Deadline}, release
 * on every path, exactly once.
 *
 * <p>When the client hangs up while waiting, the acquisition is withdrawn; while working, the work
 * is interrupted (a PostgreSQL cancel request) and the connection is released once the backend
 * has answered and the interruption has been delivered, always through a reset, so a late cancel
 * can only hit the reset, never the next borrower's work. When the backend does not answer within
 * the deadline, the client gets its 504 at once; if the backend is still silent a grace later, the
 * connection is closed. A connection that broke is closed and replaced, and the client is told
 * whether its statement may have run ({@link BackendFailure}).
 */
public final class LeasedCall<C, R> {

    /**
     * What to do with a lent connection.
     *
     * @param work           the request's work
     * @param outcome        the connection's state after the work, from its result or failure
     * @param mayHaveWritten whether a failure that broke the connection may have left a write behind
     * @param deadline       the gateway's bound on the work
     */
    public record Job<C, R>(Function<Lease<C>, CompletionStage<R>> work, BiFunction<R, Throwable, Outcome> outcome,
            Predicate<Throwable> mayHaveWritten, Deadline<C> deadline) {
    }

    private enum Phase {
        ACQUIRING, WORKING, DONE, ABANDONED, EXPIRED
    }

    private final Job<C, R> job;
    /** Told once: the result, or the failure to answer the client with. */
    private final BiConsumer<? super R, Throwable> answer;
    private final AtomicBoolean released = new AtomicBoolean();
    // guarded by this
    private Phase phase = Phase.ACQUIRING;
    private CompletableFuture<Lease<C>> acquiring;
    private Lease<C> lease;
    private CompletionStage<Void> interrupted;

    private LeasedCall(Job<C, R> job, BiConsumer<? super R, Throwable> answer) {
        this.job = job;
        this.answer = answer;
    }

    /** Acquires with {@code acquire} when subscribed, then runs {@code job} on the connection; cancelling abandons. */
    public static <C, R> Uni<R> run(Supplier<CompletionStage<Lease<C>>> acquire, Job<C, R> job) {
        return uni(answer -> start(acquire, job, answer)::abandon);
    }

    /**
     * A Uni of work that {@code start} begins when subscribed: it tells its answer once and returns
     * the action that abandons it, run when the subscriber cancels.
     */
    public static <R> Uni<R> uni(Function<BiConsumer<R, Throwable>, Runnable> start) {
        return Uni.createFrom().emitter(emitter -> emitter.onTermination(start.apply((result, error) -> {
            if (error == null) {
                emitter.complete(result);
            } else {
                emitter.fail(error);
            }
        })));
    }

    /**
     * Acquires with {@code acquire} now, then runs {@code job} on the connection and tells
     * {@code answer} the result or the failure, once. The call returned is abandoned with
     * {@link #abandon()} when the client goes away.
     */
    public static <C, R> LeasedCall<C, R> start(Supplier<CompletionStage<Lease<C>>> acquire, Job<C, R> job,
            BiConsumer<? super R, Throwable> answer) {
        LeasedCall<C, R> call = new LeasedCall<>(job, answer);
        call.start(acquire);
        return call;
    }

    private void start(Supplier<CompletionStage<Lease<C>>> acquire) {
        CompletableFuture<Lease<C>> pending = acquire.get().toCompletableFuture();
        synchronized (this) {
            acquiring = pending; // abandon() can only be called once start has returned
        }
        pending.whenComplete((acquired, error) -> {
            if (error != null) {
                if (finish() != Phase.ABANDONED) {
                    answer.accept(null, unwrap(error));
                }
            } else if (begin(acquired)) {
                work(acquired);
            } else {
                acquired.release(Outcome.CLEAN); // the client left before the work began
            }
        });
    }

    /** The client went away: withdraw the acquisition, or interrupt the work; a finished call ignores it. */
    public synchronized void abandon() {
        if (phase == Phase.ACQUIRING) {
            phase = Phase.ABANDONED;
            acquiring.cancel(false);
        } else if (phase == Phase.WORKING) {
            phase = Phase.ABANDONED;
            interrupted = job.deadline().interrupt().interrupt(lease);
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

    /** The work ended: the phase it ended in (WORKING: answer the client), and DONE from now on. */
    private synchronized Phase finish() {
        Phase ended = phase;
        phase = Phase.DONE;
        return ended;
    }

    private synchronized CompletionStage<Void> interruption() {
        return interrupted;
    }

    private void work(Lease<C> acquired) {
        long started = System.nanoTime();
        acquired.deadline(job.deadline().bound().toNanos(), () -> expire(acquired));
        CompletionStage<R> running;
        try {
            running = job.work().apply(acquired);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((result, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            acquired.recordRequest(System.nanoTime() - started, cause != null);
            Outcome after = job.outcome().apply(result, cause);
            Phase ended = finish();
            if (ended == Phase.WORKING) {
                release(acquired, after);
                // a broken connection is the backend's doing; anything else unexpected is ours (500)
                answer.accept(result, cause == null ? null
                        : after == Outcome.BROKEN && BackendFailure.isConnectionFailure(cause) ? lost(acquired, cause)
                        : cause);
                return;
            }
            // abandoned or expired: the client is gone or answered; clean up behind it
            Outcome reset = after == Outcome.BROKEN ? Outcome.BROKEN : Outcome.DIRTY;
            CompletionStage<Void> interruption = interruption();
            if (interruption == null) {
                release(acquired, reset);
            } else {
                interruption.whenComplete((ignored, error) -> release(acquired, reset));
            }
        });
    }

    /** The deadline passed: interrupt, answer 504, and close the connection if the backend stays silent. */
    private void expire(Lease<C> acquired) {
        Deadline<C> deadline = job.deadline();
        boolean timedOut;
        synchronized (this) {
            timedOut = phase == Phase.WORKING;
            if (timedOut) {
                phase = Phase.EXPIRED;
                interrupted = deadline.interrupt().interrupt(acquired);
            } else if (phase != Phase.ABANDONED) {
                return; // finished meanwhile
            }
        }
        if (timedOut) {
            answer.accept(null, new BackendFailure(BackendFailure.Kind.TIMEOUT, acquired.pool(), acquired.node().name(),
                    job.mayHaveWritten().test(null),
                    where(acquired) + ": the " + deadline.what() + " did not finish within "
                            + deadline.bound().toMillis() + "ms" + (deadline.grace().isZero() ? "; the connection was closed"
                                    : "; it was cancelled, and its connection is closed if the backend does not answer within "
                                            + deadline.grace().toMillis() + "ms")
                            + "; " + BackendFailure.outcome(job.mayHaveWritten().test(null))));
        }
        if (deadline.grace().isZero()) {
            release(acquired, Outcome.BROKEN);
        } else {
            acquired.deadline(deadline.grace().toNanos(), () -> release(acquired, Outcome.BROKEN));
        }
    }

    /** Gives the connection back once, whichever path gets here first (a later one finds it released). */
    private void release(Lease<C> acquired, Outcome outcome) {
        if (released.compareAndSet(false, true)) {
            acquired.release(outcome);
        }
    }

    private BackendFailure lost(Lease<C> acquired, Throwable cause) {
        boolean mayHaveWritten = job.mayHaveWritten().test(cause);
        return new BackendFailure(BackendFailure.Kind.LOST, acquired.pool(), acquired.node().name(), mayHaveWritten,
                where(acquired) + ": the connection broke during the request (" + Connector.rootMessage(cause) + "); "
                        + BackendFailure.outcome(mayHaveWritten));
    }

    private static String where(Lease<?> lease) {
        return "pool '" + lease.pool() + "' node '" + lease.node().name() + "'";
    }

    /** Interrupts a running PostgreSQL statement with a cancel request on a side connection. */
    public static CompletionStage<Void> cancelStatement(Lease<PgConnection> lease) {
        return lease.connection().cancelRequest().toCompletionStage();
    }

    /** Redis commands cannot be cancelled: the connection comes back when they answer, or is closed. */
    public static <C> CompletionStage<Void> nothingToInterrupt(Lease<C> lease) {
        return CompletableFuture.completedFuture(null);
    }

    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
