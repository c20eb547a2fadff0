package io.poolgate.pool;

import java.util.concurrent.CompletableFuture;

/** A borrower waiting in the pool's FIFO queue for a connection. */
final class Waiter<C> {

    final CompletableFuture<Lease<C>> future = new CompletableFuture<>();
    final Owner owner;
    final long since;
    final long deadline;

    Waiter(Owner owner, long since, long deadline) {
        this.owner = owner;
        this.since = since;
        this.deadline = deadline;
    }
}
