package io.poolgate.api;

import io.poolgate.pool.Lease;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's own bound on the work a request does on a lent connection, because a frozen
 * server or network enforces nothing. At {@code bound} the work is interrupted (a PostgreSQL cancel
 * request) and the client answered 504; if the backend has still not answered {@code grace}
 * later, the connection is closed (and replaced), which also ends the work. The lease's deadline
 * ({@link Lease#deadline}) carries it: the pool's housekeeping checks it, so no timer is armed per
 * request, and it fires up to one {@code housekeeping-interval} late.
 *
 * @param what      what is bounded, as the 504 says it ("statement", "command")
 * @param bound     when the client gets its 504
 * @param grace     how much longer the backend may take to answer the interruption
 * @param interrupt how to stop the work early
 */
public record Deadline<C>(String what, Duration bound, Duration grace, Interrupt<C> interrupt) {

    /** Stops running work early; completes when the interruption has been delivered. */
    @FunctionalInterface
    public interface Interrupt<C> {
        CompletionStage<Void> interrupt(Lease<C> lease);
    }
}
