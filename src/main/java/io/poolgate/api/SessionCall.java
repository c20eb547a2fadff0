package io.poolgate.api;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.Connector;
import io.poolgate.pool.Lease;
import io.poolgate.pool.Outcome;
import io.poolgate.session.SessionLease;
import io.poolgate.session.Sessions;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One request on a session lease, with the same bounds as an implicit lease ({@link LeasedCall}):
 * a client that hangs up mid-statement has it interrupted (the lease stays open); a backend that
 * does not answer within the {@link Deadline} gets the client a 504 at once and, still silent a
 * grace later, loses the lease (its connection is closed); a connection that breaks ends the lease
 * too. The lease stays busy until the backend has really finished, so requests never overlap.
 */
final class SessionCall {

    private SessionCall() {
    }

    /**
     * @param holder   who asks (the lease answers only its holder)
     * @param work     the request's work on the lease
     * @param outcome  the connection's state after the work: BROKEN ends the lease
     */
    static <C, R> Uni<R> run(Sessions sessions, String id, String holder, Kind kind,
            Function<SessionLease, Deadline<C>> deadlineOf, Function<SessionLease, CompletionStage<R>> work,
            BiFunction<R, Throwable, Outcome> outcome) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        AtomicReference<Runnable> interrupt = new AtomicReference<>();
        CompletionStage<R> running = sessions.use(id, holder, session -> {
            requireKind(session, kind);
            Lease<C> lease = session.lease();
            Deadline<C> deadline = deadlineOf.apply(session);
            interrupt.set(() -> deadline.interrupt().interrupt(lease));
            long start = System.nanoTime();
            lease.deadline(deadline.bound().toNanos(), () -> {
                if (answer.completeExceptionally(timeout(session, deadline))) {
                    deadline.interrupt().interrupt(lease);
                    lease.deadline(deadline.grace().toNanos(), () -> sessions.lose(id,
                            "its " + deadline.what() + " did not finish within " + deadline.bound().toMillis()
                                    + "ms and the backend did not answer the cancel"));
                }
            });
            CompletionStage<R> done;
            try {
                done = work.apply(session);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            return done.handle((result, failure) -> {
                lease.deadline(0, null); // the lease stays held across requests: this request's bound ends here
                Throwable cause = failure == null ? null : LeasedCall.unwrap(failure);
                lease.recordRequest(System.nanoTime() - start, cause != null);
                if (cause != null && outcome.apply(result, cause) == Outcome.BROKEN
                        && BackendFailure.isConnectionFailure(cause)) {
                    sessions.lose(id, "its connection broke (" + Connector.rootMessage(cause) + ")");
                    throw new java.util.concurrent.CompletionException(new BackendFailure(BackendFailure.Kind.LOST,
                            lease.pool(), lease.node().name(), true, "session " + id + " on pool '" + lease.pool()
                                    + "' node '" + lease.node().name() + "': the connection broke ("
                                    + Connector.rootMessage(cause) + "), so the session has ended; "
                                    + BackendFailure.outcome(true)));
                }
                if (cause != null) {
                    throw cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
                }
                return result;
            });
        });
        // answered once the lease is free again (Sessions.use ends the request before this stage
        // completes), so a client's next request never finds it busy; a deadline may answer sooner
        running.whenComplete((result, failure) -> {
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(LeasedCall.unwrap(failure));
            }
        });
        return Uni.createFrom().completionStage(answer).onCancellation().invoke(() -> {
            Runnable stop = interrupt.get();
            if (stop != null && !running.toCompletableFuture().isDone()) {
                stop.run(); // the client hung up mid-statement: stop it, keep the lease
            }
        });
    }

    private static BackendFailure timeout(SessionLease session, Deadline<?> deadline) {
        Lease<?> lease = session.lease();
        return new BackendFailure(BackendFailure.Kind.TIMEOUT, lease.pool(), lease.node().name(), true, "session "
                + session.id() + " on pool '" + lease.pool() + "' node '" + lease.node().name() + "': the "
                + deadline.what() + " did not finish within " + deadline.bound().toMillis() + "ms; it was cancelled, "
                + "and the session ends if the backend does not answer within " + deadline.grace().toMillis() + "ms; "
                + BackendFailure.outcome(true));
    }

    static void requireKind(SessionLease session, Kind kind) {
        if (session.pool().kind() != kind) {
            throw ProblemException.badRequest("session " + session.id() + " is on " + session.pool().kind().name()
                    .toLowerCase() + " pool '" + session.pool().name() + "'; use /sessions/{id}/"
                    + (kind == Kind.POSTGRES ? "command" : "query"));
        }
    }
}
