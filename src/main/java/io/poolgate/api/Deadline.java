package io.poolgate.api;

import io.poolgate.pool.Lease;
import io.poolgate.pool.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's own bound on the work a request does on a lent connection, because a frozen
 * server or network enforces nothing. At {@code bound} the work is interrupted (a PostgreSQL cancel
 * request) and the client answered 504; if the backend has still not answered {@code grace}
 * later, the connection is closed (and replaced), which also ends the work.
 *
 * @param what      what is bounded, as the 504 says it ("statement", "command")
 * @param bound     when the client gets its 504
 * @param grace     how much longer the backend may take to answer the interruption
 * @param interrupt how to stop the work early
 * @param scheduler the timers
 */
public record Deadline<C>(String what, Duration bound, Duration grace, Interrupt<C> interrupt, Scheduler scheduler) {

    /** Stops running work early; completes when the interruption has been delivered. */
    @FunctionalInterface
    public interface Interrupt<C> {
        CompletionStage<Void> interrupt(Lease<C> lease);
    }
}
