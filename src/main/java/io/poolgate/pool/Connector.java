package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.util.concurrent.CompletionStage;

/**
 * The plumbing of one kind of backend: opens, checks, cleans and closes a single connection.
 * It knows nothing of pooling; the {@link Pool} calls it and decides what to do with the result.
 * Every stage it returns must complete (normally or exceptionally); none may block the caller.
 * A connect completes on the thread that will run the connection's I/O (as Vert.x does): the
 * pool lends the connection preferably to borrowers on that thread.
 *
 * @param <C> the backend's connection type
 */
public interface Connector<C> {

    /**
     * Opens one connection to {@code node} and runs the per-connection initialisation.
     *
     * @param onLost called (at most once, from any thread) if the backend drops the connection later
     */
    CompletionStage<C> connect(Node node, Runnable onLost);

    /** Completes normally if the connection answers a trivial request, exceptionally otherwise. */
    CompletionStage<Void> validate(C connection);

    /**
     * Brings the connection back to the state of a fresh one: ends any open transaction and
     * undoes session state. Completes exceptionally if that cannot be confirmed.
     */
    CompletionStage<Void> reset(C connection);

    /**
     * Closes the connection, swallowing and logging any failure. The stage completes (never
     * exceptionally) once the connection is closed, so a shutdown can wait for its sockets.
     */
    CompletionStage<Void> closeQuietly(C connection);

    /**
     * How many connections the server allows and has, read on {@code connection} (the health
     * probe's, not a pooled one); empty for a backend without such a limit (Redis).
     */
    default CompletionStage<java.util.Optional<ServerLoad>> serverLoad(C connection) {
        return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
    }

    /** Releases what the connector holds for all its connections (clients, event-loop resources). */
    default CompletionStage<Void> shutdown() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The innermost cause's message of a connector failure, as logs and errors quote it. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
