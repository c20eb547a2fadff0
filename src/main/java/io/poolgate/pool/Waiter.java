package io.poolgate.pool;

import java.util.concurrent.CompletableFuture;

/** A borrower waiting in the pool's FIFO queue for a connection. */
final class Waiter<C> {

    final CompletableFuture<Lease<C>> future = new CompletableFuture<>();
    final Owner owner;
    final long since;
    final long deadline;
    /** The thread that asked: its event loop, for an HTTP request (see {@code Pool.nextWaiter}). */
    final Thread thread = Thread.currentThread();

    Waiter(Owner owner, long since, long deadline) {
        this.owner = owner;
        this.since = since;
        this.deadline = deadline;
    }
}
