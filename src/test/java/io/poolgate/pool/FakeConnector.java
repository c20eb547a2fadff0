package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connector the test completes by hand: every connect, validate and reset waits in a queue
 * until the test says how it ends. In automatic mode everything succeeds at once.
 */
public final class FakeConnector implements Connector<FakeConnector.Conn> {

    /** A fake backend connection. */
    public static final class Conn {
        final int id;
        public final Node node;
        final Runnable onLost;
        volatile boolean closed;
        volatile int borrowers; // for the stress test: must never exceed 1

        Conn(int id, Node node, Runnable onLost) {
            this.id = id;
            this.node = node;
            this.onLost = onLost;
        }

        /** The backend drops this connection. */
        public void drop() {
            onLost.run();
        }

        @Override
        public String toString() {
            return "conn-" + id;
        }
    }

    /** A pending operation the test completes. */
    static final class Pending<T> {
        final Conn conn;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Pending(Conn conn) {
            this.conn = conn;
        }

        void succeed() {
            future.complete(null);
        }

        void fail(String message) {
            future.completeExceptionally(new IllegalStateException(message));
        }
    }

    private final AtomicInteger ids = new AtomicInteger();
    final Queue<Pending<Conn>> connects = new ArrayDeque<>();
    final Queue<Pending<Void>> validations = new ArrayDeque<>();
    final Queue<Pending<Void>> resets = new ArrayDeque<>();
    final List<Conn> closed = new ArrayList<>();
    final List<Conn> opened = new ArrayList<>();
    volatile boolean automatic;

    public static FakeConnector automatic() {
        FakeConnector connector = new FakeConnector();
        connector.automatic = true;
        return connector;
    }

    @Override
    public synchronized CompletionStage<Conn> connect(Node node, Runnable onLost) {
        Conn conn = new Conn(ids.incrementAndGet(), node, onLost);
        opened.add(conn);
        if (automatic) {
            return CompletableFuture.completedFuture(conn);
        }
        Pending<Conn> pending = new Pending<>(conn);
        connects.add(pending);
        return pending.future;
    }

    @Override
    public synchronized CompletionStage<Void> validate(Conn connection) {
        if (automatic) {
            return CompletableFuture.completedFuture(null);
        }
        Pending<Void> pending = new Pending<>(connection);
        validations.add(pending);
        return pending.future;
    }

    @Override
    public synchronized CompletionStage<Void> reset(Conn connection) {
        if (automatic) {
            return CompletableFuture.completedFuture(null);
        }
        Pending<Void> pending = new Pending<>(connection);
        resets.add(pending);
        return pending.future;
    }

    @Override
    public synchronized CompletionStage<Void> closeQuietly(Conn connection) {
        connection.closed = true;
        closed.add(connection);
        return CompletableFuture.completedFuture(null);
    }

    /** Completes the oldest pending connect successfully. */
    public Conn connectNext() {
        Pending<Conn> pending;
        synchronized (this) {
            pending = connects.remove();
        }
        pending.future.complete(pending.conn);
        return pending.conn;
    }

    /** Completes every pending connect successfully. */
    public void connectAll() {
        while (true) {
            synchronized (this) {
                if (connects.isEmpty()) {
                    return;
                }
            }
            connectNext();
        }
    }

    /** Fails the oldest pending connect. */
    public void failNextConnect(String message) {
        Pending<Conn> pending;
        synchronized (this) {
            pending = connects.remove();
        }
        pending.future.completeExceptionally(new IllegalStateException(message));
    }

    synchronized Pending<Void> nextReset() {
        return resets.remove();
    }

    synchronized Pending<Void> nextValidation() {
        return validations.remove();
    }

    /** Completes the oldest pending validation successfully. */
    public void validateNext() {
        nextValidation().succeed();
    }

    /** The connections opened and not closed since. */
    public synchronized List<Conn> openConnections() {
        return opened.stream().filter(c -> !c.closed).toList();
    }

    public synchronized int pendingConnects() {
        return connects.size();
    }
}
